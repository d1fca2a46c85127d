import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import type { Executor } from '../../db';
import { accountRoles, accounts, sessions, type Role } from './people.schema';

export interface AccountRow {
  id: number;
  phone: string;
  displayName: string;
  createdAt: Date;
}

export interface AccountWithRoles extends AccountRow {
  roles: Role[];
}

const publicColumns = {
  id: accounts.id,
  phone: accounts.phone,
  displayName: accounts.displayName,
  createdAt: accounts.createdAt,
};

export class PeopleRepo {
  async findCredentialsByPhone(db: Executor, phone: string) {
    const rows = await db
      .select({ id: accounts.id, passwordHash: accounts.passwordHash })
      .from(accounts)
      .where(eq(accounts.phone, phone))
      .limit(1);
    return rows[0] ?? null;
  }

  async insertAccount(db: Executor, a: { phone: string; displayName: string; passwordHash: string }): Promise<AccountRow> {
    const rows = await db.insert(accounts).values(a).returning(publicColumns);
    return rows[0]!;
  }

  async addRoles(db: Executor, accountId: number, roles: readonly Role[]): Promise<void> {
    if (roles.length === 0) return;
    await db
      .insert(accountRoles)
      .values(roles.map((role) => ({ accountId, role })))
      .onConflictDoNothing();
  }

  async removeRole(db: Executor, accountId: number, role: Role): Promise<void> {
    await db.delete(accountRoles).where(and(eq(accountRoles.accountId, accountId), eq(accountRoles.role, role)));
  }

  async rolesOf(db: Executor, accountId: number): Promise<Role[]> {
    const rows = await db
      .select({ role: accountRoles.role })
      .from(accountRoles)
      .where(eq(accountRoles.accountId, accountId))
      .orderBy(asc(accountRoles.role));
    return rows.map((r) => r.role);
  }

  async findAccount(db: Executor, id: number): Promise<AccountWithRoles | null> {
    const rows = await db.select(publicColumns).from(accounts).where(eq(accounts.id, id)).limit(1);
    const row = rows[0];
    if (!row) return null;
    return { ...row, roles: await this.rolesOf(db, id) };
  }

  async listAccounts(db: Executor, q: { afterId: number | null; limit: number; role?: Role | undefined }) {
    const conds = [];
    if (q.afterId !== null) conds.push(gt(accounts.id, q.afterId));
    if (q.role) {
      conds.push(
        inArray(
          accounts.id,
          db.select({ id: accountRoles.accountId }).from(accountRoles).where(eq(accountRoles.role, q.role)),
        ),
      );
    }
    const rows = await db
      .select(publicColumns)
      .from(accounts)
      .where(conds.length ? and(...conds) : undefined)
      .orderBy(asc(accounts.id))
      .limit(q.limit + 1);
    if (rows.length === 0) return [];
    const roleRows = await db
      .select({ accountId: accountRoles.accountId, role: accountRoles.role })
      .from(accountRoles)
      .where(
        inArray(
          accountRoles.accountId,
          rows.map((r) => r.id),
        ),
      );
    const byAccount = new Map<number, Role[]>();
    for (const r of roleRows) byAccount.set(r.accountId, [...(byAccount.get(r.accountId) ?? []), r.role]);
    return rows.map((r) => ({ ...r, roles: (byAccount.get(r.id) ?? []).sort() }));
  }

  async insertSession(db: Executor, s: { tokenHash: string; accountId: number; expiresAt: Date }): Promise<void> {
    await db.insert(sessions).values(s);
  }

  /** Many sessions with their accounts' roles in one query (a burst of first requests). */
  async findLiveSessions(db: Executor, tokenHashes: string[], now: Date) {
    if (tokenHashes.length === 0) return [];
    const found = await db
      .select({ tokenHash: sessions.tokenHash, accountId: sessions.accountId, expiresAt: sessions.expiresAt })
      .from(sessions)
      .where(and(inArray(sessions.tokenHash, tokenHashes), gt(sessions.expiresAt, now)));
    const roles = found.length
      ? await db
          .select({ accountId: accountRoles.accountId, role: accountRoles.role })
          .from(accountRoles)
          .where(inArray(accountRoles.accountId, [...new Set(found.map((f) => f.accountId))]))
      : [];
    return found.map((f) => ({ ...f, roles: roles.filter((r) => r.accountId === f.accountId).map((r) => r.role) }));
  }

  async deleteSession(db: Executor, tokenHash: string): Promise<void> {
    await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
  }

  async deleteSessionsOf(db: Executor, accountId: number): Promise<void> {
    await db.delete(sessions).where(eq(sessions.accountId, accountId));
  }
}
