import { readFileSync } from 'node:fs';
import { parseTransactions } from './src/modules/matching/csv';
import { evaluate, splitByDate } from './src/modules/matching/evaluate';
const rows = parseTransactions(readFileSync('/work/shared/data/retail/completejourney_sample/transactions.csv', 'utf8'));
for (const d of process.argv.slice(2)) {
  const t0 = Date.now();
  const { train, test } = splitByDate(rows, d, 14);
  const r = evaluate(train, test, { k: 10 });
  console.log(d, JSON.stringify({ linli: r.linli, pop: r.popularity, own: r.ownHistory, lift: r.relativeLiftOverBestBaseline, l: r.learned }), Date.now() - t0, 'ms');
}
