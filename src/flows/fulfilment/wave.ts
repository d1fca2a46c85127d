// The cutoff wave (截单波次): for one region and pickup day, in one transaction —
//   1. campaigns of the region (and its counties) for that day, published and past cutoff →
//      cut_off (409 when there are none);
//   2. freeze: still-unpaid orders of those campaigns are closed through the order life cycle
//      (stock holds released, purchase limits given back); the paid ones are not written to —
//      the cutoff freezes them, and they turn fulfilling when their van leaves;
//   3. the demand (units owed per pickup point × SKU) aggregated once into a temporary table;
//      sorting lists per pickup point from it;
//   4. purchase orders per supplier × SKU from it, delivered to the region's central warehouse,
//      plus the units of the stores' paid replenishment orders due that day (docs/stores.md);
//   5. routes per grid warehouse from the routing engine (see modules/fulfilment/route-plan.ts);
//   6. the wave row with its counts and timings; one outbox event for the wave.
// Rerunning finds the wave already made and returns it. On PostgreSQL an advisory lock per
// region makes a concurrent second run wait and then find the first one's wave.
import type { Database, Tx } from '../../db';
import { badInput, conflict, type Clock } from '../../kernel';
import { cratesFor, planRoutes, toWaveSummary, type PlanPoint, type WaveSummary } from '../../modules/fulfilment';
import { requireRole, type Actor } from '../../modules/people';
import type { OutboxEventDraft } from '../checkout';
import type { OrderLifecycle } from '../orders';
import { WaveRepo, type NewRoute } from './wave.repo';

export interface WaveDeps {
  db: Database;
  clock: Clock;
  lifecycle: Pick<OrderLifecycle, 'closeAtCutoff'>;
  emit: (tx: Tx, events: OutboxEventDraft[]) => Promise<void>;
}

export interface WaveOptions {
  /** Route engine budget per pickup point of a grid warehouse, ms (default 10). */
  routeMsPerPoint?: number;
  /** …at most this per grid warehouse, ms (default 2,000). */
  routeMsPerWarehouse?: number;
  /** …and at most this for the whole wave, shared out over the warehouses left, ms (default 3,000). */
  routeMsTotal?: number;
  /** Engine seed (default 1). */
  seed?: number;
}

export interface WaveRun {
  wave: WaveSummary;
  /** False when the wave had already been run and was found. */
  created: boolean;
  /** Unpaid orders the wave could not close (their payment was found to be paid meanwhile). */
  leftUnpaid: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Below this the search is not worth starting (see the route step). */
const MIN_SEARCH_MS = 25;

export class WaveFlow {
  private readonly repo = new WaveRepo();
  private readonly opts: Required<WaveOptions>;

  constructor(
    private readonly d: WaveDeps,
    opts: WaveOptions = {},
  ) {
    this.opts = { routeMsPerPoint: 10, routeMsPerWarehouse: 2_000, routeMsTotal: 3_000, seed: 1, ...opts };
  }

  /**
   * Run the wave of `regionId` for `pickupDate` (operators; `actor` null is the background
   * job). `tx` lets an idempotent HTTP request commit the wave with its stored answer.
   */
  async run(actor: Actor | null, input: { regionId: number; pickupDate: string }, tx?: Tx): Promise<WaveRun> {
    if (actor !== null) requireRole(actor, 'operator');
    const { regionId, pickupDate } = input;
    if (!Number.isInteger(regionId) || regionId <= 0) throw badInput('regionId', 'regionId must be a positive whole number');
    if (!DATE.test(pickupDate) || Number.isNaN(Date.parse(`${pickupDate}T00:00:00Z`)) || new Date(`${pickupDate}T00:00:00Z`).toISOString().slice(0, 10) !== pickupDate) {
      throw badInput('pickupDate', 'pickupDate must be a date YYYY-MM-DD');
    }
    const db = tx ?? this.d.db.orm;
    const found = await this.repo.findWave(db, regionId, pickupDate);
    if (found) return { wave: toWaveSummary(found), created: false, leftUnpaid: 0 };
    if (!(await this.repo.regionExists(db, regionId))) throw badInput('regionId', `region ${regionId} does not exist`);
    const work = (t: Tx) => this.build(t, regionId, pickupDate);
    return tx ? work(tx) : this.d.db.orm.transaction(work);
  }

  /** The job: every (region, day) with a published campaign past cutoff and no wave yet. */
  async runDue(log: (msg: string) => void = () => undefined): Promise<WaveRun[]> {
    const done: WaveRun[] = [];
    for (const pair of await this.repo.duePairs(this.d.db.orm, this.d.clock.now())) {
      try {
        const r = await this.run(null, pair);
        if (r.created) log(`wave ${r.wave.id}: region ${pair.regionId} ${pair.pickupDate}, ${r.wave.orders} orders, ${r.wave.routes} routes in ${r.wave.timings.totalMs} ms`);
        done.push(r);
      } catch (e) {
        // One region's trouble (no central warehouse, say) must not stop the others' waves.
        log(`wave for region ${pair.regionId} ${pair.pickupDate} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return done;
  }

  private async build(tx: Tx, regionId: number, pickupDate: string): Promise<WaveRun> {
    const started = performance.now();
    if (this.d.db.kind === 'postgres') {
      await this.repo.lockRegion(tx, regionId);
      await this.repo.roomToSort(tx);
    }
    const again = await this.repo.findWave(tx, regionId, pickupDate);
    if (again) return { wave: toWaveSummary(again), created: false, leftUnpaid: 0 };

    const now = this.d.clock.now();
    const settings = await this.repo.vanSettings(tx, regionId);
    const regions = await this.repo.regionAndChildren(tx, regionId);
    const campaignIds = await this.repo.dueCampaigns(tx, regions, pickupDate, now);
    if (campaignIds.length === 0) throw conflict(`region ${regionId} has no published campaign for ${pickupDate} past its cutoff`);
    const central = await this.repo.centralWarehouse(tx, regionId);
    if (central === null) throw conflict(`region ${regionId} (nor its city) has no central warehouse to buy into`);
    const waveId = await this.repo.insertWave(tx, regionId, pickupDate, campaignIds);
    if (waveId === null) {
      const other = (await this.repo.findWave(tx, regionId, pickupDate))!;
      return { wave: toWaveSummary(other), created: false, leftUnpaid: 0 };
    }

    // ── 1–2. cut off and freeze ──
    await this.repo.cutOff(tx, campaignIds);
    let leftUnpaid = 0;
    for (const orderId of await this.repo.unpaidOrderIds(tx, campaignIds)) {
      try {
        // A savepoint each: if the provider says one was paid meanwhile, only that one stays.
        await tx.transaction((sp) => this.d.lifecycle.closeAtCutoff(sp, orderId));
      } catch {
        leftUnpaid += 1;
      }
    }
    // Nothing is written per paid order: the campaign being cut off is what freezes them
    // (checkout refuses it; a paid order cannot be cancelled, only refunded, as before). Each
    // goes paid → fulfilling when its van is dispatched and → ready when the point signs for
    // it (handoffs.ts). A million-order UPDATE here took 30 s and 1.4 GB of WAL.
    const tFreeze = performance.now();

    // ── 3. sorting lists ──
    const itemsAt = await this.repo.aggregateDemand(tx, campaignIds);
    const ordersAt = new Map((await this.repo.ordersPerPoint(tx, campaignIds)).map((p) => [p.pickupPointId, p.orders]));
    const orders = [...ordersAt.values()].reduce((a, n) => a + n, 0);
    const points = itemsAt.length ? await this.repo.pointsWithGrid(tx, regionId, itemsAt.map((p) => p.pickupPointId)) : [];
    const stranded = points.filter((p) => p.gridWarehouseId === null);
    if (stranded.length) throw conflict(`pickup point ${stranded[0]!.pickupPointId} has no grid warehouse and the region has none to give it`);
    const gridOf = new Map(points.map((p) => [p.pickupPointId, p.gridWarehouseId!]));
    const items = itemsAt.reduce((a, p) => a + p.items, 0);
    const sortLines = itemsAt.reduce((a, p) => a + p.lines, 0);
    const where = new Map(points.map((p) => [p.pickupPointId, p]));
    const byGrid = new Map<number, PlanPoint[]>();
    for (const p of itemsAt) {
      const at = where.get(p.pickupPointId)!;
      const grid = gridOf.get(p.pickupPointId)!;
      const list = byGrid.get(grid) ?? [];
      list.push({ pickupPointId: p.pickupPointId, lat: at.lat, lng: at.lng, items: p.items, orders: ordersAt.get(p.pickupPointId) ?? 0, crates: cratesFor(p.items, settings.itemsPerCrate) });
      byGrid.set(grid, list);
    }
    const depots = await this.repo.gridWarehouses(tx, [...byGrid.keys()]);
    const tSort = performance.now();

    // ── 4. sorting lists and purchase orders, written by the server while 5. plans here ──
    // The statement is sent before the planner takes this thread (the next macrotask runs
    // after the driver has written it to the socket); on PGlite, which runs in this thread,
    // the two simply follow each other. Its rejection is awaited below, never left unhandled.
    const written = this.repo.writeListsAndOrders(
      tx,
      waveId,
      points.map((p) => ({ pickupPointId: p.pickupPointId, gridWarehouseId: p.gridWarehouseId! })),
      central,
      // Stores' replenishment orders due that day travel with the wave: buy their units too.
      { regionIds: regions, pickupDate },
    );
    written.catch(() => undefined);
    await new Promise((resolve) => setImmediate(resolve));

    // ── 5. routes ──
    const routes: NewRoute[] = [];
    const used = new Set<string>();
    let budgetLeft = this.opts.routeMsTotal;
    for (const [i, depot] of depots.entries()) {
      const list = byGrid.get(depot.id)!.sort((a, b) => a.pickupPointId - b.pickupPointId);
      // The wave's search time shared over the warehouses left; a share too short for the
      // search to do anything (it spends a few tens of ms building its first solution) gets
      // the engine's savings construction instead.
      const budgetMs = Math.min(this.opts.routeMsPerWarehouse, this.opts.routeMsPerPoint * list.length, budgetLeft / (depots.length - i));
      const t = performance.now();
      const plan = planRoutes(depot, list, {
        capacityCrates: settings.vanCapacityCrates,
        budgetMs,
        seed: this.opts.seed,
        method: budgetMs >= MIN_SEARCH_MS ? 'hgs' : 'savings',
      });
      budgetLeft -= performance.now() - t;
      used.add(plan.planner);
      plan.routes.forEach((r, k) =>
        routes.push({ gridWarehouseId: depot.id, seq: k + 1, capacityCrates: settings.vanCapacityCrates, loadCrates: r.loadCrates, distanceM: r.distanceM, stops: r.stops }),
      );
    }
    const po = await written;
    const stops = await this.repo.insertRoutes(tx, waveId, routes);
    const tRoute = performance.now();

    // ── 6. the wave row and its event ──
    // sortMs: aggregating the demand; purchaseMs: writing sorting lists and purchase orders (the
    // server's clock); routeMs: planning and writing the routes. The last two overlap, so the
    // parts add up to more than totalMs.
    const timings = {
      freezeMs: Math.round(tFreeze - started),
      sortMs: Math.round(tSort - tFreeze),
      purchaseMs: po.ms,
      routeMs: Math.round(tRoute - tSort),
      totalMs: Math.round(performance.now() - started),
    };
    // The weakest planner any warehouse got: fallback (sweep) < savings < hgs.
    const planner = used.has('fallback') ? 'fallback' : used.has('savings') ? 'savings' : 'hgs';
    const row = await this.repo.finish(tx, waveId, { orders, items, purchaseOrders: po.orders, sortLines, routes: routes.length, stops, routePlanner: planner, timings });
    await this.d.emit(tx, [
      { topic: 'wave.planned', aggregateType: 'wave', aggregateId: waveId, payload: { waveId, regionId, pickupDate, campaignIds, orders, items, routes: routes.length } },
    ]);
    return { wave: toWaveSummary(row), created: true, leftUnpaid };
  }
}
