// Child process of `linli bench wave`: opens the seeded database, runs the one wave and reports
// how long it took and the process's peak resident memory. A process of its own so the peak
// is the wave's (PGlite runs in process and would otherwise carry the seeding's memory).
import { resourceUsage } from 'node:process';
import { openDatabase } from '../src/db';
import { createServices } from '../src/services';

const [databaseUrl, dataDir, regionId, pickupDate] = process.argv.slice(2);
const send = (msg: object) => new Promise<void>((resolve) => (process.send ? process.send(msg, () => resolve()) : resolve()));

const db = await openDatabase(databaseUrl ? { databaseUrl, poolSize: 4 } : { dataDir: dataDir! });
const s = await createServices(db);
let sampled = process.memoryUsage().rss;
const sampler = setInterval(() => {
  sampled = Math.max(sampled, process.memoryUsage().rss);
}, 20);
const t0 = performance.now();
const run = await s.wave.run(null, { regionId: Number(regionId), pickupDate: pickupDate! });
const seconds = (performance.now() - t0) / 1000;
clearInterval(sampler);
sampled = Math.max(sampled, process.memoryUsage().rss);
// maxRSS is in kilobytes: the peak over the process's life, samples or not.
const peakRssMb = Math.round(Math.max(sampled / 1024 / 1024, resourceUsage().maxRSS / 1024));
const [shape] = await db.query<{ grids: number; points: number }>(
  `SELECT count(DISTINCT r.grid_warehouse_id)::int AS grids, count(DISTINCT s.pickup_point_id)::int AS points
   FROM delivery_routes r JOIN route_stops s ON s.route_id = r.id WHERE r.wave_id = $1`,
  [run.wave.id],
);
await send({ type: 'done', seconds, peakRssMb, wave: run.wave, created: run.created, leftUnpaid: run.leftUnpaid, shape });
await s.checkout.close();
await db.close();
process.exit(0);
