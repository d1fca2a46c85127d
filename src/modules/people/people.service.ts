import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../../db';
import { DomainError, badInput, conflict, notFound, systemClock, toPage, type Clock, type Page } from '../../kernel';
import { requireRole, type Actor } from './actor';
import { hashPassword, verifyPassword } from './password';
import { PeopleRepo, type AccountWithRoles } from './people.repo';
import { ROLES, type Role } from './people.schema';

const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;
// Sessions are looked up on every authenticated request; a short in-process cache keeps that
// off the database. Logout and role changes in this process clear it at once; another process
// sees them within this many milliseconds.
const SESSION_CACHE_MS = 30_000;

export interface LoginResult {
  token: string;
  expiresAt: Date;
  account: AccountWithRoles;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function assertPhone(phone: string, field = 'phone'): void {
  if (!/^1[3-9][0-9]{9}$/.test(phone)) throw badInput(field, 'phone must be an 11-digit mainland mobile number');
}

function assertPassword(password: string): void {
  if (password.length < 8 || password.length > 128) throw badInput('password', 'password must be 8–128 characters');
}

export class PeopleService {
  private readonly repo = new PeopleRepo();
  private readonly sessionCache = new Map<string, { actor: Actor; until: number; expiresAt: number }>();

  constructor(
    private readonly db: Database,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Self-service sign-up: anyone may become a resident. */
  async register(input: { phone: string; password: string; displayName: string }): Promise<AccountWithRoles> {
    return this.createWithRoles(input, ['resident']);
  }

  /** An operator opens an account for staff (leaders, drivers, clerks …). */
  async createAccount(
    actor: Actor | null,
    input: { phone: string; password: string; displayName: string; roles: Role[] },
  ): Promise<AccountWithRoles> {
    requireRole(actor, 'operator');
    return this.createWithRoles(input, input.roles);
  }

  private async createWithRoles(
    input: { phone: string; password: string; displayName: string },
    roles: Role[],
  ): Promise<AccountWithRoles> {
    assertPhone(input.phone);
    assertPassword(input.password);
    for (const r of roles) if (!ROLES.includes(r)) throw badInput('roles', `unknown role ${r}`);
    const passwordHash = await hashPassword(input.password);
    const existing = await this.repo.findCredentialsByPhone(this.db.orm, input.phone);
    if (existing) throw conflict('an account with this phone number exists', 'phone');
    return this.db.orm.transaction(async (tx) => {
      const account = await this.repo.insertAccount(tx, {
        phone: input.phone,
        displayName: input.displayName,
        passwordHash,
      });
      await this.repo.addRoles(tx, account.id, roles);
      return { ...account, roles: [...new Set(roles)].sort() };
    });
  }

  async login(phone: string, password: string): Promise<LoginResult> {
    const creds = await this.repo.findCredentialsByPhone(this.db.orm, phone);
    // Same answer for unknown phone and wrong password: no account enumeration.
    if (!creds || !(await verifyPassword(password, creds.passwordHash))) {
      throw new DomainError('unauthenticated', 'phone number or password is wrong', { field: 'password' });
    }
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.clock.now().getTime() + SESSION_TTL_MS);
    await this.repo.insertSession(this.db.orm, { tokenHash: hashToken(token), accountId: creds.id, expiresAt });
    const account = await this.repo.findAccount(this.db.orm, creds.id);
    return { token, expiresAt, account: account! };
  }

  async logout(token: string): Promise<void> {
    const h = hashToken(token);
    this.sessionCache.delete(h);
    await this.repo.deleteSession(this.db.orm, h);
  }

  /** Resolve a bearer token to an actor, or null when it is unknown or expired. */
  async authenticate(token: string): Promise<Actor | null> {
    const h = hashToken(token);
    const nowMs = this.clock.now().getTime();
    const cached = this.sessionCache.get(h);
    if (cached && cached.until > nowMs && cached.expiresAt > nowMs) return cached.actor;
    const session = await this.repo.findLiveSession(this.db.orm, h, new Date(nowMs));
    if (!session) {
      this.sessionCache.delete(h);
      return null;
    }
    const roles = await this.repo.rolesOf(this.db.orm, session.accountId);
    const actor: Actor = { accountId: session.accountId, roles: new Set(roles) };
    if (this.sessionCache.size > 50_000) this.sessionCache.clear();
    this.sessionCache.set(h, { actor, until: nowMs + SESSION_CACHE_MS, expiresAt: session.expiresAt.getTime() });
    return actor;
  }

  async me(actor: Actor | null): Promise<AccountWithRoles> {
    const a = await this.repo.findAccount(this.db.orm, requireRole(actor, ...ROLES).accountId);
    if (!a) throw notFound('account');
    return a;
  }

  async getAccount(actor: Actor | null, id: number): Promise<AccountWithRoles> {
    const a = requireRole(actor, ...ROLES);
    if (a.accountId !== id && !a.roles.has('operator')) throw notFound('account', id);
    const found = await this.repo.findAccount(this.db.orm, id);
    if (!found) throw notFound('account', id);
    return found;
  }

  async listAccounts(
    actor: Actor | null,
    q: { afterId: number | null; limit: number; role?: Role | undefined },
  ): Promise<Page<AccountWithRoles>> {
    requireRole(actor, 'operator');
    return toPage(await this.repo.listAccounts(this.db.orm, q), q.limit);
  }

  async grantRole(actor: Actor | null, accountId: number, role: Role): Promise<AccountWithRoles> {
    requireRole(actor, 'operator');
    const found = await this.repo.findAccount(this.db.orm, accountId);
    if (!found) throw notFound('account', accountId);
    await this.repo.addRoles(this.db.orm, accountId, [role]);
    this.sessionCache.clear();
    return { ...found, roles: [...new Set([...found.roles, role])].sort() };
  }

  async revokeRole(actor: Actor | null, accountId: number, role: Role): Promise<AccountWithRoles> {
    const a = requireRole(actor, 'operator');
    if (accountId === a.accountId && role === 'operator') {
      throw conflict('an operator cannot remove their own operator role', 'role');
    }
    const found = await this.repo.findAccount(this.db.orm, accountId);
    if (!found) throw notFound('account', accountId);
    await this.repo.removeRole(this.db.orm, accountId, role);
    this.sessionCache.clear();
    return { ...found, roles: found.roles.filter((r) => r !== role) };
  }

  /** Used by other modules (through flows) to make sure an account holds a role. */
  async ensureRole(accountId: number, role: Role): Promise<void> {
    await this.repo.addRoles(this.db.orm, accountId, [role]);
    this.sessionCache.clear();
  }
}
