import { forbidden, unauthenticated } from '../../kernel';
import type { Role } from './people.schema';

/** Who is making a call: resolved once per request from the session token. */
export interface Actor {
  readonly accountId: number;
  readonly roles: ReadonlySet<Role>;
}

export function hasRole(actor: Actor | null | undefined, ...roles: Role[]): boolean {
  return !!actor && roles.some((r) => actor.roles.has(r));
}

/** Demand a session; returns the actor so callers can narrow. */
export function requireActor(actor: Actor | null | undefined): Actor {
  if (!actor) throw unauthenticated();
  return actor;
}

/** Demand a session holding at least one of `roles`. */
export function requireRole(actor: Actor | null | undefined, ...roles: Role[]): Actor {
  const a = requireActor(actor);
  if (!roles.some((r) => a.roles.has(r))) throw forbidden(`needs role ${roles.join(' or ')}`);
  return a;
}

export const isOperator = (actor: Actor | null | undefined) => hasRole(actor, 'operator');
