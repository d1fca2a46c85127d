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
    return this.loadSession(h);
  }

  // Sessions not in the cache are looked up together: a flash sale brings thousands of buyers
  // whose first request arrives in the same second, and one query per tick serves them all
  // instead of two queries each (on PGlite those would queue behind every order transaction).
  private pendingSessions = new Map<string, { resolve: (a: Actor | null) => void; reject: (e: unknown) => void }[]>();
  private sessionFlush: Promise<void> | null = null;

  private loadSession(tokenHash: string): Promise<Actor | null> {
    return new Promise((resolve, reject) => {
      const waiting = this.pendingSessions.get(tokenHash);
      if (waiting) waiting.push({ resolve, reject });
      else this.pendingSessions.set(tokenHash, [{ resolve, reject }]);
      this.sessionFlush ??= new Promise<void>((r) => setImmediate(r)).then(() => this.flushSessions());
    });
  }

  private async flushSessions(): Promise<void> {
    const batch = this.pendingSessions;
    this.pendingSessions = new Map();
    this.sessionFlush = null;
    const now = this.clock.now();
    try {
      const hashes = [...batch.keys()];
      const found = new Map<string, Awaited<ReturnType<PeopleRepo['findLiveSessions']>>[number]>();
      for (let i = 0; i < hashes.length; i += 1000) {
        for (const row of await this.repo.findLiveSessions(this.db.orm, hashes.slice(i, i + 1000), now)) found.set(row.tokenHash, row);
      }
      if (this.sessionCache.size > 50_000) this.sessionCache.clear();
      for (const [h, waiters] of batch) {
        const session = found.get(h);
        let actor: Actor | null = null;
        if (session) {
          actor = { accountId: session.accountId, roles: new Set(session.roles) };
          this.sessionCache.set(h, { actor, until: now.getTime() + SESSION_CACHE_MS, expiresAt: session.expiresAt.getTime() });
        } else this.sessionCache.delete(h);
        for (const w of waiters) w.resolve(actor);
      }
    } catch (e) {
      for (const waiters of batch.values()) for (const w of waiters) w.reject(e);
    }
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
