// Reading orders, with the per-object rule of who may see which: the buyer their own, the
// leader the orders of their pickup point, a store's owner and clerks that store's, an
// operator all. Writes to orders happen in src/flows (checkout, payment, refunds), because each
// also moves stock or money in the same transaction.
import type { Database, Executor } from '../../db';
import { decodeCursor, forbidden, notFound, toPage, type Page } from '../../kernel';
import { hasRole, isOperator, requireActor, type Actor } from '../people';
import type { PlaceService } from '../place';
import { OrdersRepo, type OrderFilter, type OrderRow } from './orders.repo';
import { linesByOrder, toOrderView, type OrderView } from './order-view';

export class OrdersService {
  readonly repo = new OrdersRepo();

  constructor(
    private readonly db: Database,
    private readonly place: PlaceService,
  ) {}

  async view(id: number, db: Executor = this.db.orm): Promise<OrderView> {
    const row = await this.repo.get(db, id);
    if (!row) throw notFound('order', id);
    return toOrderView(row, await this.repo.linesOf(db, [id]));
  }

  /** One order, if `actor` may see it; 404 rather than 403 for someone else's, so ids do not leak. */
  async get(actor: Actor | null, id: number): Promise<OrderView> {
    const a = requireActor(actor);
    const row = await this.repo.get(this.db.orm, id);
    if (!row || !(await this.maySee(a, row))) throw notFound('order', id);
    return toOrderView(row, await this.repo.linesOf(this.db.orm, [id]));
  }

  async maySee(a: Actor, o: OrderRow): Promise<boolean> {
    if (o.buyerAccountId === a.accountId || isOperator(a)) return true;
    if (o.leaderAccountId === a.accountId) return true;
    if (o.storeId !== null && hasRole(a, 'store_owner', 'store_clerk')) return this.worksAtStore(a, o.storeId);
    return false;
  }

  /** May `a` act for this store (owner or clerk)? */
  async worksAtStore(a: Actor, storeId: number): Promise<boolean> {
    const store = await this.place.stores.get(storeId).catch(() => null);
    if (!store) return false;
    if (store.ownerAccountId === a.accountId) return true;
    const clerks = await this.place.stores.listClerks(a, storeId).catch(() => []);
    return clerks.some((c) => c.accountId === a.accountId);
  }

  /** The caller's own orders, newest first. */
  async listMine(actor: Actor | null, q: { cursor?: string | undefined; limit: number; status?: OrderFilter['status'] }): Promise<Page<OrderView>> {
    const a = requireActor(actor);
    return this.page({ buyerAccountId: a.accountId, status: q.status }, q);
  }

  /** Everything, filtered: operators only. */
  async list(actor: Actor | null, f: OrderFilter & { cursor?: string | undefined; limit: number }): Promise<Page<OrderView>> {
    const a = requireActor(actor);
    if (!isOperator(a)) throw forbidden('only operators list every order');
    return this.page(f, f);
  }

  /** A store's orders: its owner, clerks and operators. */
  async listForStore(actor: Actor | null, storeId: number, q: { cursor?: string | undefined; limit: number; status?: OrderFilter['status'] }) {
    const a = requireActor(actor);
    if (!isOperator(a) && !(await this.worksAtStore(a, storeId))) throw forbidden('only this store’s owner, clerks or an operator');
    return this.page({ storeId, status: q.status }, q);
  }

  private async page(f: OrderFilter, q: { cursor?: string | undefined; limit: number }): Promise<Page<OrderView>> {
    const before = decodeCursor(q.cursor);
    const rows = await this.repo.list(this.db.orm, f, before, q.limit + 1);
    const page = toPage(rows, q.limit);
    const lines = await this.repo.linesOf(this.db.orm, page.items.map((r) => r.id));
    const byOrder = linesByOrder(lines);
    return { items: page.items.map((r) => toOrderView(r, byOrder.get(r.id) ?? [])), nextCursor: page.nextCursor };
  }

  statusCounts() {
    return this.repo.statusCounts(this.db.orm);
  }
}
