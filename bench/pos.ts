// `linli bench pos`: a whole day at one store's till. N cash sales of 1–3 lines rung up one after
// another through the real POS flow (checkout on the store's stock location, cash payment,
// completion, ledger) on a fresh database, timing each sale and the till's "today" summary as
// the day fills up. The question is whether the till slows down as the day's orders pile up:
// the first and the last tenth of the day are compared.
import { migrate, openDatabase } from '../src/db';
import { makeCommerceWorld } from '../src/flows/testing';
import { createServices } from '../src/services';

export interface PosBenchResult {
  name: 'pos';
  backend: 'pglite' | 'postgres';
  sales: number;
  salesPerSec: number;
  firstTenthP50Ms: number;
  firstTenthP99Ms: number;
  lastTenthP50Ms: number;
  lastTenthP99Ms: number;
  todaySummaryFirstMs: number;
  todaySummaryLastMs: number;
  peakRssMb: number;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! * 100) / 100 : 0;
};

export async function runPosBench(opts: { sales: number; databaseUrl?: string | undefined; progress?: (done: number) => void }): Promise<PosBenchResult> {
  const db = await openDatabase(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {});
  await migrate(db);
  const s = await createServices(db, {});
  const skus = Array.from({ length: 40 }, (_, i) => ({ priceFen: 190 + i * 37, stock: 0, storeStock: opts.sales * 2 }));
  const w = await makeCommerceWorld(db, { buyers: 0, skus });
  const owner = w.actor(w.storeOwnerId, 'store_owner');
  let peak = process.memoryUsage().rss;
  const times: number[] = [];
  const summary = async () => {
    const t0 = performance.now();
    await s.stores.salesToday(owner, w.storeId);
    return Math.round((performance.now() - t0) * 100) / 100;
  };
  const todaySummaryFirstMs = await summary();
  const started = performance.now();
  for (let i = 0; i < opts.sales; i++) {
    const lines = Array.from({ length: 1 + (i % 3) }, (_, j) => ({ skuId: w.skuIds[(i * 7 + j * 13) % w.skuIds.length]!, quantity: 1 + ((i + j) % 2) }));
    const t0 = performance.now();
    await s.pos.sell(owner, w.storeId, { lines, payment: 'cash', cashReceivedFen: 100_000 }, `bench-pos-${i}`);
    times.push(performance.now() - t0);
    if (i % 100 === 0) {
      peak = Math.max(peak, process.memoryUsage().rss);
      opts.progress?.(i);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const todaySummaryLastMs = await summary();
  const tenth = Math.max(1, Math.floor(opts.sales / 10));
  await s.checkout.close();
  await db.close();
  return {
    name: 'pos',
    backend: opts.databaseUrl ? 'postgres' : 'pglite',
    sales: opts.sales,
    salesPerSec: Math.round(opts.sales / seconds),
    firstTenthP50Ms: pct(times.slice(0, tenth), 50),
    firstTenthP99Ms: pct(times.slice(0, tenth), 99),
    lastTenthP50Ms: pct(times.slice(-tenth), 50),
    lastTenthP99Ms: pct(times.slice(-tenth), 99),
    todaySummaryFirstMs,
    todaySummaryLastMs,
    peakRssMb: Math.round(Math.max(peak, process.memoryUsage().rss) / 2 ** 20),
  };
}
