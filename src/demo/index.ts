// The demo city: `linli seed --demo`, and `npm start` on an empty database. A fictional
// city (临溪市) with districts, compounds, warehouses, pickup points and their leaders,
// corner stores, a grocery catalogue and thousands of residents, all drawn from one seed.
import { addDays, chinaDay } from '../modules/leaders';
import { hashPassword } from '../modules/people/password';
import type { Services } from '../services';
import { DEMO_ACCOUNTS, generateDemoCity, type DemoCity } from './city';
import { DemoRepo } from './demo.repo';
import { seedDemoHistory } from './history';
import { seedDemoOrders } from './orders';
import { seedDemoGroupbuy } from './groupbuy';
import { seedDemoLive } from './live';
import { seedDemoStore } from './stores';

export { generateDemoCity, DEMO_ACCOUNTS, DEMO_COMMUNITY, DEMO_POINT_NAME, DEMO_STORE_NAME } from './city';
export type { DemoCity } from './city';

export const DEFAULT_DEMO_SEED = 20261125;
/** Shared by every demo account. Demo data only: never seed a production database. */
export const DEMO_PASSWORD = 'linli-demo';

export interface DemoLogin {
  role: string;
  phone: string;
  password: string;
  note: string;
}

export interface DemoSummary {
  seeded: boolean;
  logins: DemoLogin[];
  /** Rows written per table (SQL table names); empty when nothing was seeded. */
  counts: Record<string, number>;
}

/** One login per role. The same whatever the seed, so docs and screenshots can quote them. */
export function demoLogins(): DemoLogin[] {
  return DEMO_ACCOUNTS.map((a) => ({ role: a.role, phone: a.phone, password: DEMO_PASSWORD, note: a.note }));
}

export function demoCounts(city: DemoCity): Record<string, number> {
  return {
    regions: city.regions.length,
    communities: city.communities.length,
    warehouses: city.warehouses.length,
    accounts: city.accounts.length,
    account_roles: city.accountRoles.length,
    resident_homes: city.residentHomes.length,
    pickup_points: city.pickupPoints.length,
    stores: city.stores.length,
    store_clerks: city.storeClerks.length,
    categories: city.categories.length,
    suppliers: city.suppliers.length,
    products: city.products.length,
    skus: city.skus.length,
    region_skus: city.regionSkus.length,
    stock_locations: city.stockLocations.length,
    stock_levels: city.stockLevels.length,
  };
}

// Modules other engineers are adding to Services; reached through a narrow optional view
// so this file compiles and runs whether or not they exist yet.
interface OptionalCaches {
  place?: { reloadGeoIndex?: () => unknown };
  catalog?: { invalidateCache?: () => unknown };
}

/** Seed the demo city when the database has no regions yet; otherwise leave it alone. */
export async function seedDemoIfEmpty(
  services: Services,
  opts: {
    seed?: number;
    log?: (m: string) => void;
    /** Orders in the month of history (default 3,000; 0: none). */
    historyOrders?: number;
    /**
     * How the insights read models learn of the recent days. 'rebuild' (default): rebuilt from
     * the tables here, and the recent days' events taken as applied, so a first start does not
     * leave ~1,000 events for the relay to apply while the first pages load. 'events': left to
     * the relay, as a running server would (insights.demo.test.ts checks the two agree).
     */
    readModels?: 'rebuild' | 'events';
  } = {},
): Promise<DemoSummary> {
  const log = opts.log ?? (() => undefined);
  const seed = opts.seed ?? DEFAULT_DEMO_SEED;
  if (!Number.isSafeInteger(seed)) throw new Error(`demo seed must be an integer, got ${opts.seed}`);
  const repo = new DemoRepo();
  const empty = { seeded: false, logins: [], counts: {} };
  // Cheap check first, so a restart of a seeded database does not generate a whole city.
  if (await repo.hasRegions(services.db)) return empty;

  const started = performance.now();
  log(`demo city: generating 临溪市 (seed ${seed}) …`);
  // scrypt costs ~50 ms and 16 MiB by design; hashing it per account would take minutes for
  // 6 000 accounts. The demo password is public anyway, so one hash (own random salt) is
  // shared by every demo account. Runs alongside generation.
  const hashing = hashPassword(DEMO_PASSWORD);
  const city = generateDemoCity(seed);
  const counts = demoCounts(city);
  const rows = Object.values(counts).reduce((a, b) => a + b, 0);
  log(`demo city: writing ${rows} rows (${counts.accounts} accounts, ${counts.communities} communities, ${counts.skus} SKUs) …`);
  const offsets = await repo.insertCity(services.db, city, await hashing);
  if (!offsets) return empty; // another process seeded first

  const caches = services as unknown as OptionalCaches;
  await caches.place?.reloadGeoIndex?.();
  await caches.catalog?.invalidateCache?.();
  log(`demo city: written in ${Math.round(performance.now() - started)} ms; simulating a month of history …`);
  // Before the recent days: their order ids come after the history's, as time does.
  const history = await seedDemoHistory(services, city, offsets, { orders: opts.historyOrders });
  counts.orders = history?.orders ?? 0;
  const readModels = opts.readModels ?? 'rebuild';
  // The history writes no events: with the recent days left to the relay, its read models are built now.
  if (history && readModels === 'events') await services.insights.recompute(services.db, { from: history.from, to: history.to });
  log(`demo city: history written (${counts.orders} orders); placing demo orders …`);
  // After the city commits and the caches know it: checkout reads both.
  counts.orders += await seedDemoOrders(services, city, offsets);
  log(`demo city: running the last few group-buy days …`);
  const groupbuy = await seedDemoGroupbuy(services, city, offsets);
  counts.campaigns = groupbuy.campaigns;
  counts.orders += groupbuy.orders;
  log(`demo city: a week at the demo store …`);
  counts.orders += await seedDemoStore(services, city, offsets);
  log(`demo city: last night's live session and tonight's …`);
  counts.orders += await seedDemoLive(services, city, offsets);
  const today = chinaDay(services.clock.now());
  if (readModels === 'rebuild') {
    const rebuildStarted = performance.now();
    // From the history's first day (or the recent days') to tomorrow, the pickup day of today's campaign.
    const from = history?.from ?? addDays(today, -31);
    await services.insights.recompute(services.db, { from, to: addDays(today, 1) }, { pending: 'take' });
    log(`demo city: insights read models built from ${from} in ${Math.round(performance.now() - rebuildStarted)} ms`);
  }
  // Trust scores now, so profiles, rankings and the leader's tier show one from the first page
  // (the job's first run comes only after start, and `seed --demo` starts no jobs). Scored from
  // the read models just built; with readModels 'events' the recent days reach them only after
  // the relay runs, and the trust job adds them then.
  const trustStarted = performance.now();
  const trust = await services.trust.recomputeAll();
  log(`demo city: trust scores for ${trust.actors} points, stores and hosts in ${Math.round(performance.now() - trustStarted)} ms`);
  log(`demo city: seeded in ${Math.round(performance.now() - started)} ms`);
  return { seeded: true, logins: demoLogins(), counts };
}
