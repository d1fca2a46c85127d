import type { Command } from 'commander';

/** `linli insights recompute`: rebuild the insights read models from the raw tables. */
export function registerInsightsCommands(program: Command): void {
  const insights = program.command('insights').description('insights read models (docs/insights.md)');
  insights.action(() => insights.help());
  insights
    .command('recompute')
    .description('rebuild the read models for a range of China days from orders, refunds, pickups, traffic… (after a bulk load or an upgrade)')
    .option('--from <day>', 'first China day, YYYY-MM-DD (default: --days before --to)')
    .option('--to <day>', 'last China day, YYYY-MM-DD (default: today)')
    .option('--days <n>', 'with no --from: this many days up to --to', '92')
    .action(async (opts: { from?: string; to?: string; days: string }) => {
      const { loadConfig } = await import('../config');
      const { migrate } = await import('../db');
      const { openConfiguredDatabase } = await import('../server');
      const { InsightsService } = await import('../modules/insights');
      const { addDays, chinaDay } = await import('../modules/leaders');
      const days = Number(opts.days);
      if (!Number.isInteger(days) || days < 1) throw new Error('--days must be a positive whole number');
      const to = opts.to ?? chinaDay(new Date());
      const from = opts.from ?? addDays(to, -(days - 1));
      const db = await openConfiguredDatabase(loadConfig());
      try {
        await migrate(db);
        const started = Date.now();
        await new InsightsService({ db }).recompute(db, { from, to });
        console.log(`insights read models rebuilt for ${from} … ${to} in ${Date.now() - started} ms`);
      } catch (e) {
        // Bad days, or events still waiting for the relay: say why, no stack.
        const { isDomainError } = await import('../kernel');
        if (!isDomainError(e)) throw e;
        console.error(`${e.field ? `${e.field}: ` : ''}${e.message}`);
        process.exitCode = 2;
      } finally {
        await db.close();
      }
    });
}
