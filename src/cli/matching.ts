import type { Command } from 'commander';

/** `linli matching eval`: offline evaluation of matching v1 against two baselines. */
export function registerMatchingCommands(program: Command): void {
  const matching = program.command('matching').description('matching v1 (货配人): offline evaluation');
  matching.action(() => matching.help());
  matching
    .command('eval')
    .description('Recall@k / NDCG@k of linli and two baselines on a time split of transaction CSVs (Complete Journey columns)')
    .option('--train <file>', 'training transactions CSV')
    .option('--test <file>', 'test transactions CSV')
    .option('--data <dir>', 'a directory with transactions.csv (and products.csv); use with --split-date')
    .option('--split-date <date>', 'YYYY-MM-DD: lines before it train, lines from it test')
    .option('--test-days <n>', 'only this many days from the split date are test (default: to the end)')
    .option('--products <file>', 'products.csv for categories (default: products.csv beside the data)')
    .option('--k <n>', 'list length', '10')
    .option('--learn-blend', 'ablation: rank by a linear blend of all features learned on validation windows inside training')
    .option('--validation-days <n>', 'with --learn-blend: length of each validation window carved from the end of training', '14')
    .option('--json', 'print one JSON object')
    .action(
      async (opts: { train?: string; test?: string; data?: string; splitDate?: string; testDays?: string; products?: string; k: string; learnBlend?: boolean; validationDays: string; json?: boolean }) => {
        const { existsSync, readFileSync } = await import('node:fs');
        const { dirname, join } = await import('node:path');
        const { evaluate, parseProductCategories, parseTransactions, splitByDate } = await import('../modules/matching');
        const k = Number(opts.k);
        if (!Number.isInteger(k) || k < 1) throw new Error('--k must be a positive whole number');
        let train;
        let test;
        let dir: string;
        if (opts.data) {
          if (!opts.splitDate || !/^\d{4}-\d{2}-\d{2}$/.test(opts.splitDate)) throw new Error('--data needs --split-date YYYY-MM-DD');
          const rows = parseTransactions(readFileSync(join(opts.data, 'transactions.csv'), 'utf8'), 'transactions.csv');
          ({ train, test } = splitByDate(rows, opts.splitDate, opts.testDays ? Number(opts.testDays) : undefined));
          dir = opts.data;
        } else if (opts.train && opts.test) {
          train = parseTransactions(readFileSync(opts.train, 'utf8'), opts.train);
          test = parseTransactions(readFileSync(opts.test, 'utf8'), opts.test);
          dir = dirname(opts.train);
        } else {
          throw new Error('give --train FILE --test FILE, or --data DIR --split-date YYYY-MM-DD');
        }
        const productsFile = opts.products ?? join(dir, 'products.csv');
        const categoryOf = existsSync(productsFile) ? parseProductCategories(readFileSync(productsFile, 'utf8')) : undefined;
        const report = evaluate(train, test, { k, learnBlend: opts.learnBlend === true, validationDays: Number(opts.validationDays), categoryOf });
        if (opts.json) {
          console.log(JSON.stringify({ ...report, categories: categoryOf ? productsFile : null }));
          return;
        }
        const row = (name: string, m: { recallAt10: number; ndcgAt10: number; households: number }) =>
          `${name.padEnd(12)} Recall@${k} ${m.recallAt10.toFixed(4)}  NDCG@${k} ${m.ndcgAt10.toFixed(4)}  households ${m.households}`;
        console.log(`train ${report.train.from}..${report.train.to} (${report.train.lines} lines), test ${report.test.from}..${report.test.to} (${report.test.lines} lines)`);
        console.log(row('linli', report.linli));
        console.log(row('popularity', report.popularity));
        console.log(row('own history', report.ownHistory));
        console.log(`lift over the better baseline: ${(report.relativeLiftOverBestBaseline * 100).toFixed(1)}%`);
      },
    );
}
