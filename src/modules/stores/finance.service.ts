// Store finance: daily takings by channel (counter, online), the cost of what was sold and the
// margin, with the owner's ledger balances. Settlement and payouts are the ledger's own (the
// store's share of online sales is a commission; the owner asks for a payout through
// POST /api/ledger/payouts), so nothing here writes.
import type { Database } from '../../db';
import { badInput, type Clock } from '../../kernel';
import type { LedgerService, StatementBalances } from '../ledger';
import { isOperator, requireActor, type Actor } from '../people';
import { FinanceRepo } from './finance.repo';
import type { ReplenishmentService } from './replenishment.service';

export interface FinanceDay {
  day: string;
  /** Counter sales paid that day, net of refunds. */
  counterFen: number;
  /** Online (storefront) sales paid that day, net of refunds (before the platform's fee). */
  onlineFen: number;
  /** What the units sold cost the store (last replenishment price paid, else wholesale). */
  costFen: number;
  /** What was refunded (so far) of the sales paid that day: counter + online + refunds = the day's gross sales. */
  refundsFen: number;
  /** counter + online − cost. */
  marginFen: number;
  /** Sales orders paid that day and not refunded in full. */
  orders: number;
}

export interface StoreFinance {
  days: FinanceDay[];
  totals: Omit<FinanceDay, 'day'>;
  /** The owner's balances in the ledger (what the platform owes them for online sales). */
  balance: StatementBalances;
}

export const MAX_FINANCE_DAYS = 92;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function validDay(v: string, field: string): string {
  if (!DAY.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)) || new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) !== v) {
    throw badInput(field, `${field} must be a date YYYY-MM-DD`);
  }
  return v;
}

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export class FinanceService {
  private readonly repo = new FinanceRepo();

  constructor(private readonly d: { db: Database; clock: Clock; ledger: LedgerService; replenishment: ReplenishmentService }) {}

  /**
   * GET /api/stores/:id/finance: the store's owner (or an operator). Days are China-time;
   * `to` defaults to today and `from` to six days before `to`; at most 92 days.
   */
  async finance(actor: Actor | null, storeId: number, q: { from?: string | undefined; to?: string | undefined } = {}): Promise<StoreFinance> {
    const store = await this.d.replenishment.access(actor, storeId, { ownerOnly: !isOperator(requireActor(actor)) });
    const to = q.to === undefined ? chinaDay(this.d.clock.now()) : validDay(q.to, 'to');
    const from = q.from === undefined ? addDays(to, -6) : validDay(q.from, 'from');
    if (from > to) throw badInput('from', 'from must not be after to');
    if (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`) >= MAX_FINANCE_DAYS * 86_400_000) {
      throw badInput('from', `at most ${MAX_FINANCE_DAYS} days at a time`);
    }
    const rows = await this.repo.daily(this.d.db.orm, { storeId, regionId: store.regionId, fromDay: from, toDay: to });
    const days = rows.map((r) => {
      const counterFen = Number(r.counterFen);
      const onlineFen = Number(r.onlineFen);
      const costFen = Number(r.costFen);
      return { day: r.day, counterFen, onlineFen, costFen, refundsFen: Number(r.refundsFen), marginFen: counterFen + onlineFen - costFen, orders: Number(r.orders) };
    });
    const sum = (k: keyof Omit<FinanceDay, 'day'>) => days.reduce((s, d) => s + d[k], 0);
    const totals = { counterFen: sum('counterFen'), onlineFen: sum('onlineFen'), costFen: sum('costFen'), refundsFen: sum('refundsFen'), marginFen: sum('marginFen'), orders: sum('orders') };
    const { balances } = await this.d.ledger.statement(store.ownerAccountId, { limit: 1 });
    return { days, totals, balance: balances };
  }
}

function chinaDay(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
