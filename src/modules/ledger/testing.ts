// Test support for the ledger suites (unit, property, PostgreSQL concurrency, HTTP). Imported
// only by tests.
import type { Database, Tx } from '../../db';
import { DomainError } from '../../kernel';
import type { LedgerService } from './ledger.service';

let phoneSeq = 0;

/** A bare account row to own commissions; people's API is not needed for ledger tests. */
export async function makeAccount(db: Database, label = 'b'): Promise<number> {
  phoneSeq += 1;
  const phone = `138${String(process.pid % 10000).padStart(4, '0')}${String(phoneSeq).padStart(4, '0')}`;
  const rows = await db.query<{ id: number }>(
    `INSERT INTO accounts (phone, display_name, password_hash) VALUES ($1, $2, 'x') RETURNING id::int AS id`,
    [phone, `${label}${phoneSeq}`],
  );
  return rows[0]!.id;
}

/** What the beneficiary is owed per bucket (credit-normal, so the negated balances). */
export async function owed(db: Database, accountId: number): Promise<{ frozen: number; available: number; pending: number }> {
  const rows = await db.query<{ code: string; balance_fen: number }>(
    `SELECT code, balance_fen::bigint AS balance_fen FROM ledger_accounts WHERE owner_account_id = $1`,
    [accountId],
  );
  const get = (bucket: string) => 0 - Number(rows.find((r) => r.code.endsWith(`:${bucket}`))?.balance_fen ?? 0);
  return { frozen: get('frozen'), available: get('available'), pending: get('payout_pending') };
}

export async function balanceOf(db: Database, code: string): Promise<number> {
  const rows = await db.query<{ b: number }>(`SELECT balance_fen::bigint AS b FROM ledger_accounts WHERE code = $1`, [code]);
  return Number(rows[0]?.b ?? 0);
}

export async function countRows(db: Database, table: string, where = 'true'): Promise<number> {
  return (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`))[0]!.n;
}

export const inTx = <T>(db: Database, fn: (tx: Tx) => Promise<T>): Promise<T> => db.orm.transaction(fn);

/** The DomainError a promise rejects with (fails the test if it resolves or throws another error). */
export async function domainError(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError, got success');
}

/** A beneficiary with `availableFen` released to them, through a real payment and release. */
export async function fundAvailable(
  db: Database,
  ledger: LedgerService,
  who: number,
  availableFen: number,
  ids: { orderId: number; paymentId: number },
): Promise<void> {
  await inTx(db, (tx) =>
    ledger.recordPayment(tx, {
      orderId: ids.orderId,
      paymentId: ids.paymentId,
      provider: 'sandbox',
      amountFen: availableFen,
      commissions: [{ party: 'leader', beneficiaryAccountId: who, orderLineId: null, baseFen: availableFen, amountFen: availableFen }],
    }),
  );
  await inTx(db, (tx) => ledger.scheduleRelease(tx, ids.orderId, new Date(0)));
  await ledger.releaseMatured(new Date(1000));
}
