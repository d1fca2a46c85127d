// Child process of `linli bench checkout` (see bench/browse-server.ts for the two-mode pattern):
//   seed  — migrate, make a commerce world (a hot SKU, a wide shelf, buyers with sessions), exit;
//   serve — the real server on it, request logging off.
import { createHash, randomBytes } from 'node:crypto';
import { loadConfig } from '../src/config';
import { migrate } from '../src/db';
import { makeCommerceWorld } from '../src/flows/testing';
import { openConfiguredDatabase, startServer } from '../src/server';

export interface CheckoutWorld {
  pickupPointId: number;
  centralWarehouseId: number;
  hotSkuId: number;
  shelfSkuIds: number[];
  tokens: string[];
  operatorToken: string;
}

const rssMb = () => Math.round(process.memoryUsage().rss / 1024 / 1024);
const send = (msg: object) => new Promise<void>((resolve) => (process.send ? process.send(msg, () => resolve()) : resolve()));
const config = { ...loadConfig(), host: '127.0.0.1', port: 0, logLevel: 'warn' };

if (process.argv[2] === 'seed') {
  const buyers = Number(process.argv[3]);
  const units = Number(process.argv[4]);
  const shelf = Number(process.argv[5]);
  const db = await openConfiguredDatabase(config);
  await migrate(db);
  const w = await makeCommerceWorld(db, {
    buyers,
    skus: [{ priceFen: 990, stock: units }, ...Array.from({ length: shelf }, (_, i) => ({ priceFen: 300 + i * 7, stock: 1_000_000 }))],
  });
  // Sessions written directly: logging 2,000 buyers in would be 2,000 scrypt hashes.
  const accounts = [...w.buyerIds, w.operatorId];
  const tokens = accounts.map(() => randomBytes(24).toString('base64url'));
  await db.query(
    `INSERT INTO sessions (token_hash, account_id, expires_at) SELECT h, a, now() + interval '1 day' FROM unnest($1::text[], $2::bigint[]) AS t(h, a)`,
    [tokens.map((t) => createHash('sha256').update(t).digest('hex')), accounts],
  );
  await db.close();
  const world: CheckoutWorld = {
    pickupPointId: w.pickupPointId,
    centralWarehouseId: w.centralWarehouseId,
    hotSkuId: w.skuIds[0]!,
    shelfSkuIds: w.skuIds.slice(1),
    tokens: tokens.slice(0, -1),
    operatorToken: tokens.at(-1)!,
  };
  await send({ type: 'seeded', world });
  process.exit(0);
} else {
  const running = await startServer({ config, web: false, requestLogging: false, log: () => undefined });
  const address = running.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const stop = () => void running.close().finally(() => process.exit(0));
  process.on('message', (m: { type: string }) => {
    if (m.type === 'rss') void send({ type: 'rss', mb: rssMb(), batches: running.services.checkout.stats() });
    if (m.type === 'stop') stop();
  });
  process.on('disconnect', stop);
  await send({ type: 'ready', url: `http://127.0.0.1:${port}`, rssMb: rssMb() });
}
