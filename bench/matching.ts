// `linli bench matching`: build the matching model (src/modules/matching/model.ts) from a
// synthetic order history — N residents in communities of ~50, M products in categories, a
// Zipf-like popularity with community taste and personal staples bought again and again —
// then time top-20 recommendations for random residents. Deterministic for a seed.
import { seededUniform } from '../src/kernel';
import { buildModel, DEFAULT_PARAMS, recommend, type Purchase } from '../src/modules/matching';

export interface MatchingBenchOptions {
  residents: number;
  products: number;
  queries: number;
  /** Mean order lines per resident over the window. */
  linesPerResident?: number;
  seed?: number;
}

export interface MatchingBenchResult {
  name: 'matching';
  residents: number;
  products: number;
  purchases: number;
  queries: number;
  limit: number;
  buildSeconds: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  firstPassP99Ms: number;
  peakRssMb: number;
}

const DAY_MS = 86_400_000;

function percentile(sorted: Float64Array, p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0;
}

export function runMatchingBench(opts: MatchingBenchOptions): MatchingBenchResult {
  const rand = seededUniform(opts.seed ?? 20261125);
  const residents = opts.residents;
  const products = opts.products;
  const linesPer = opts.linesPerResident ?? 16;
  const communities = Math.max(1, Math.round(residents / 50));
  const categories = Math.max(1, Math.round(products / 100));
  const now = Date.parse('2026-11-25T00:00:00Z');

  // Zipf-like popularity: cumulative weights, sampled by binary search.
  const cum = new Float64Array(products);
  let total = 0;
  for (let i = 0; i < products; i++) cum[i] = total += 1 / Math.pow(i + 10, 0.9);
  const popularItem = () => {
    const x = rand() * total;
    let lo = 0;
    let hi = products - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
  // Each community favours a few hundred items of its own.
  const taste = Array.from({ length: communities }, () => Array.from({ length: 200 }, popularItem));

  let purchases: Purchase[] | null = [];
  let basket = 0;
  for (let user = 1; user <= residents; user++) {
    const community = 1 + Math.floor(rand() * communities);
    const staples = Array.from({ length: 3 }, popularItem);
    const lines = Math.max(1, Math.round(linesPer * (0.3 + rand() * 1.4)));
    let at = now - rand() * 90 * DAY_MS;
    for (let l = 0; l < lines; l++) {
      if (l % 3 === 0) {
        basket++;
        at = now - rand() * 90 * DAY_MS;
      }
      const r = rand();
      const item = r < 0.35 ? staples[Math.floor(rand() * 3)]! : r < 0.6 ? taste[community - 1]![Math.floor(rand() * 200)]! : popularItem();
      purchases.push({ user, item, basket, at, community, category: 1 + (item % categories) });
    }
  }

  const t0 = performance.now();
  const model = buildModel(purchases, now, DEFAULT_PARAMS);
  const buildSeconds = (performance.now() - t0) / 1000;
  const purchaseCount = purchases.length;
  // Let the raw history go before timing, as the service does after a rebuild.
  // eslint-disable-next-line no-useless-assignment -- dropping the only reference frees it
  purchases = null;

  const limit = 20;
  const users = Array.from({ length: opts.queries }, () => 1 + Math.floor(rand() * residents));
  // Warm the JIT so the first measured requests are not compile time.
  for (let i = 0; i < Math.min(1000, users.length); i++) recommend(model, users[i]!, limit);
  // Two passes, the second reported: the first runs while the collector is still clearing the
  // build's garbage (the raw history, the pair counts), which a server sees only in the
  // seconds after each rebuild. `firstPassP99Ms` keeps that visible.
  const pass = () => {
    const t = new Float64Array(users.length);
    for (let i = 0; i < users.length; i++) {
      const s = performance.now();
      recommend(model, users[i]!, limit);
      t[i] = performance.now() - s;
    }
    return t.sort();
  };
  const first = pass();
  const times = pass();
  const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
  return {
    name: 'matching',
    residents,
    products,
    purchases: purchaseCount,
    queries: users.length,
    limit,
    buildSeconds: round(buildSeconds, 2),
    p50Ms: round(percentile(times, 50)),
    p99Ms: round(percentile(times, 99)),
    maxMs: round(percentile(times, 100)),
    firstPassP99Ms: round(percentile(first, 99)),
    // maxRSS is in kilobytes on Linux.
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

export function formatMatchingBench(r: MatchingBenchResult): string {
  return (
    `matching: ${r.residents} residents, ${r.products} products, ${r.purchases} lines; build ${r.buildSeconds} s; ` +
    `top-${r.limit} over ${r.queries} requests: p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, max ${r.maxMs} ms; peak RSS ${r.peakRssMb} MB`
  );
}
