// Child process of `linli bench browse`, in one of two modes (first argument):
//   seed  — migrate the fresh database, seed the benchmark catalog, report it, exit;
//   serve — the real server (startServer, as `linli serve` runs it) with request logging off.
// Seeding in its own process means the measured server starts on existing data, as a
// production server restarts: a fresh PGlite data dir costs several hundred MB of extra
// memory for initdb that a restarted server does not carry. Serving apart from the load
// generator gives each its own core. IPC with the parent:
//   seed:  → { type: 'seeded', seeded }
//   serve: → { type: 'ready', url, rssMb }   ← { type: 'rss' } → { type: 'rss', mb }   ← { type: 'stop' }
import { loadConfig } from '../src/config';
import { migrate } from '../src/db';
import { openConfiguredDatabase, startServer } from '../src/server';
import { createServices } from '../src/services';
import { seedBrowseCatalog } from './browse-seed';

type Message = { type: 'rss' } | { type: 'stop' };

const rssMb = () => Math.round(process.memoryUsage().rss / 1024 / 1024);

function send(msg: object): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(msg, () => resolve());
  });
}

const config = { ...loadConfig(), host: '127.0.0.1', port: 0, logLevel: 'warn' };

if (process.argv[2] === 'seed') {
  const db = await openConfiguredDatabase(config);
  await migrate(db);
  const seeded = await seedBrowseCatalog(await createServices(db));
  await db.close();
  await send({ type: 'seeded', seeded });
  process.exit(0);
} else {
  const running = await startServer({ config, web: false, requestLogging: false, log: () => undefined });
  const address = running.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const stop = () => void running.close().finally(() => process.exit(0));
  process.on('message', (m: Message) => {
    if (m.type === 'rss') void send({ type: 'rss', mb: rssMb() });
    if (m.type === 'stop') stop();
  });
  // The parent going away (Ctrl-C, crash) must not leave a server behind.
  process.on('disconnect', stop);
  await send({ type: 'ready', url: `http://127.0.0.1:${port}`, rssMb: rssMb() });
}
