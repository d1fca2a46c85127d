import { Command } from 'commander';
import { loadConfig } from '../config';
import { ensureTemplate, migrate } from '../db';
import { describeDatabase, openConfiguredDatabase, startServer } from '../server';
import { createServices } from '../services';

const program = new Command();
program
  .name('linli')
  .description('邻里 linli — community commerce platform (group buying, live selling, neighbourhood stores)')
  .showHelpAfterError();

program
  .command('serve')
  .description('migrate, then serve the API and web app (PORT, DATA_DIR, DATABASE_URL)')
  .option('--demo', 'seed the demo city if the database is empty')
  .option('-p, --port <port>', 'port to listen on (default $PORT or 3000)')
  .option('--no-web', 'serve the API only, skip building the web app')
  .action(async (opts: { demo?: boolean; port?: string; web: boolean }) => {
    const started = Date.now();
    const config = loadConfig();
    if (opts.port !== undefined) config.port = Number(opts.port);
    const running = await startServer({ config, demo: !!opts.demo, web: opts.web });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`\nlinli is running at ${running.url}  (${describeDatabase(config)}, ready in ${seconds}s)`);
    console.log(`API docs: ${running.url}/docs`);
    if (opts.demo) {
      const { demoLogins } = await import('../demo');
      printLogins(demoLogins());
    }
    const stop = async () => {
      await running.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

program
  .command('migrate')
  .description('apply pending SQL migrations')
  .action(async () => {
    const config = loadConfig();
    const db = await openConfiguredDatabase(config);
    const { applied } = await migrate(db);
    console.log(applied.length ? `applied ${applied.join(', ')}` : 'up to date');
    console.log(describeDatabase(config));
    await db.close();
  });

program
  .command('prepare')
  .description('make the migrated database template a fresh DATA_DIR starts from (npm install runs this)')
  .action(async () => {
    // Run by npm's postinstall: a failure here only costs a slower first start, so it warns
    // and never fails the install.
    try {
      const started = Date.now();
      const { path, created } = await ensureTemplate();
      console.log(created ? `linli: database template ready in ${((Date.now() - started) / 1000).toFixed(1)}s (${path})` : `linli: database template up to date (${path})`);
    } catch (e) {
      console.warn(`linli: could not prepare the database template (first start will create the database itself): ${(e as Error).message}`);
    }
  });

program
  .command('seed')
  .description('fill the database with data')
  .option('--demo', 'the demo city (deterministic)')
  .option('--seed <n>', 'random seed for the demo city', '20261125')
  .action(async (opts: { demo?: boolean; seed: string }) => {
    if (!opts.demo) {
      console.error('nothing to seed: pass --demo');
      process.exitCode = 2;
      return;
    }
    const config = loadConfig();
    const db = await openConfiguredDatabase(config);
    await migrate(db);
    const services = await createServices(db);
    const { seedDemoIfEmpty, demoLogins } = await import('../demo');
    const summary = await seedDemoIfEmpty(services, { seed: Number(opts.seed), log: (m) => console.log(m) });
    console.log(summary.seeded ? 'demo city seeded:' : 'database already has data; left as it is.', summary.counts);
    printLogins(demoLogins());
    await db.close();
  });

program
  .command('build-web')
  .description('build the web app into web/dist')
  .action(async () => {
    const { ensureWebBuild } = await import('../http/web-build');
    await ensureWebBuild({ force: true, log: console.log });
    console.log('web app built');
  });

const { registerRoutesCommands } = await import('./routes');
registerRoutesCommands(program);

const { registerMatchingCommands } = await import('./matching');
registerMatchingCommands(program);

const { registerInsightsCommands } = await import('./insights');
registerInsightsCommands(program);

const bench = program.command('bench').description('benchmarks; each prints one JSON object with --json');
const { registerBenchCommands } = await import('./bench');
registerBenchCommands(bench);

function printLogins(logins: Array<{ role: string; phone: string; password: string; note: string }>) {
  if (!logins.length) return;
  console.log('\nDemo logins (phone / password):');
  for (const l of logins) console.log(`  ${l.role.padEnd(16)} ${l.phone} / ${l.password}   ${l.note}`);
}

await program.parseAsync(process.argv);
