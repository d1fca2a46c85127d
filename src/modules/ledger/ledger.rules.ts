// The chart of accounts, input rules and the arithmetic of reversals: pure, no I/O.
import { badInput, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../kernel';
import { PARTIES, type LedgerKind, type Party } from './ledger.schema';

// ── chart of accounts (docs/ledger.md) ─────────────────────────────────────────
export const SALES = 'platform:sales';
/** Contra-revenue: refunds are debited here so gross sales stay readable. */
export const SALES_REFUNDS = 'platform:sales_refunds';
export const COMMISSION_EXPENSE = 'platform:commission_expense';
export const psp = (provider: string) => `platform:psp:${provider}`;

export const BUCKETS = ['frozen', 'available', 'payout_pending'] as const;
export type Bucket = (typeof BUCKETS)[number];
export const beneficiary = (accountId: number, bucket: Bucket) => `beneficiary:${accountId}:${bucket}`;

const PROVIDER = /^[a-z0-9_-]{1,32}$/;
const PLATFORM: Record<string, LedgerKind> = { [SALES]: 'revenue', [SALES_REFUNDS]: 'revenue', [COMMISSION_EXPENSE]: 'expense' };

export interface AccountSpec {
  code: string;
  kind: LedgerKind;
  ownerAccountId: number | null;
}

/** Kind and owner of an account, from its code alone; unknown codes are refused. */
export function describeAccount(code: string, field = 'account'): AccountSpec {
  const platform = PLATFORM[code];
  if (platform) return { code, kind: platform, ownerAccountId: null };
  const parts = code.split(':');
  if (parts.length === 3 && parts[0] === 'platform' && parts[1] === 'psp' && PROVIDER.test(parts[2]!)) {
    return { code, kind: 'asset', ownerAccountId: null };
  }
  if (parts.length === 3 && parts[0] === 'beneficiary' && /^[1-9][0-9]{0,14}$/.test(parts[1]!) && isBucket(parts[2]!)) {
    return { code, kind: 'liability', ownerAccountId: Number(parts[1]) };
  }
  throw badInput(field, `${code} is not an account of the chart (see docs/ledger.md)`);
}

const isBucket = (s: string): s is Bucket => (BUCKETS as readonly string[]).includes(s);

export function bucketOf(code: string): Bucket | null {
  const last = code.split(':')[2];
  return code.startsWith('beneficiary:') && last && isBucket(last) ? last : null;
}

// ── input checks ───────────────────────────────────────────────────────────────
export function int(value: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw badInput(field, `${field} must be an integer`);
  if (value < min || value > max) throw badInput(field, `${field} must be between ${min} and ${max}`);
  return value;
}

export const id = (value: unknown, field: string) => int(value, field, 1);
/** An amount of money: integer fen, at most 10^12 fen so products of two amounts stay exact in BigInt and sums in doubles. */
export const MAX_FEN = 1_000_000_000_000;
export const fenAmount = (value: unknown, field: string, min = 1) => int(value, field, min, MAX_FEN);

export function provider(value: unknown, field = 'provider'): string {
  if (typeof value !== 'string' || !PROVIDER.test(value)) throw badInput(field, 'provider must be 1–32 of a-z 0-9 _ -');
  return value;
}

export function party(value: unknown, field: string): Party {
  if (typeof value !== 'string' || !(PARTIES as readonly string[]).includes(value)) {
    throw badInput(field, `party must be one of ${PARTIES.join(', ')}`);
  }
  return value as Party;
}

export function word(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^[a-z_]{1,32}$/.test(value)) throw badInput(field, `${field} must be 1–32 of a-z and _`);
  return value;
}

export function text(value: unknown, field: string, min: number, max: number): string {
  if (typeof value !== 'string' || value.length < min || value.length > max) {
    throw badInput(field, `${field} must be text of ${min}–${max} characters`);
  }
  return value;
}

export function pageLimit(limit: number | undefined): number {
  return limit === undefined ? DEFAULT_PAGE_SIZE : int(limit, 'limit', 1, MAX_PAGE_SIZE);
}

// ── entries ────────────────────────────────────────────────────────────────────
export interface EntryLineInput {
  /** Account code, e.g. `platform:sales` or `beneficiary:42:frozen`. */
  account: string;
  /** Debit positive, credit negative; integer fen, never zero. */
  amountFen: number;
}

export interface EntryHeader {
  kind: string;
  refType: string;
  refId: number;
  idempotencyKey: string;
  memo?: string | null | undefined;
}

export interface EntryInput extends EntryHeader {
  lines: EntryLineInput[];
}

export function checkHeader(e: EntryHeader): Required<EntryHeader> {
  return {
    kind: word(e.kind, 'kind'),
    refType: word(e.refType, 'refType'),
    refId: int(e.refId, 'refId', 0),
    idempotencyKey: text(e.idempotencyKey, 'idempotencyKey', 1, 200),
    memo: e.memo === undefined || e.memo === null ? null : text(e.memo, 'memo', 0, 200),
  };
}

/**
 * Validate lines and merge them per account (one line per account and entry). Each line must
 * be a non-zero integer and the whole must sum to zero; accounts whose lines cancel out drop.
 */
export function mergeLines(lines: readonly EntryLineInput[]): Map<string, number> {
  if (!Array.isArray(lines) || lines.length < 2 || lines.length > 200) {
    throw badInput('lines', 'an entry has 2–200 lines');
  }
  const merged = new Map<string, number>();
  let sum = 0;
  lines.forEach((l, i) => {
    const code = typeof l?.account === 'string' ? l.account : '';
    describeAccount(code, `lines.${i}.account`);
    const amount = int(l.amountFen, `lines.${i}.amountFen`, -MAX_FEN, MAX_FEN);
    if (amount === 0) throw badInput(`lines.${i}.amountFen`, 'a line moves a non-zero amount');
    sum += amount;
    merged.set(code, (merged.get(code) ?? 0) + amount);
  });
  if (sum !== 0) throw badInput('lines', `the lines of an entry must sum to zero (they sum to ${sum} fen)`);
  for (const [code, amount] of merged) if (amount === 0) merged.delete(code);
  if (merged.size < 2) throw badInput('lines', 'an entry moves money between at least two accounts');
  return merged;
}

/** Add `amount` to `code` in a line map being built (no validation; callers build balanced maps). */
export function addLine(lines: Map<string, number>, code: string, amount: number): void {
  if (amount === 0) return;
  const next = (lines.get(code) ?? 0) + amount;
  if (next === 0) lines.delete(code);
  else lines.set(code, next);
}

// ── reversals ──────────────────────────────────────────────────────────────────
/**
 * How much of a commission stands reversed once `refundedCumulative` of `total` has been
 * refunded: floor(amount × refunded / total), the whole commission at a full refund. Computed
 * from cumulative figures, so however a total is refunded in parts the reversals add up to the
 * same floor and never drift; BigInt keeps the product exact.
 */
export function reversalTarget(amountFen: number, refundedCumulative: number, total: number): number {
  if (refundedCumulative >= total) return amountFen;
  return Number((BigInt(amountFen) * BigInt(refundedCumulative)) / BigInt(total));
}
