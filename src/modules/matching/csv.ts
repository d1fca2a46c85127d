// Reading transaction CSVs in the columns of the Complete Journey sample
// (household_id, store_id, basket_id, product_id, …, transaction_timestamp, date).
// Parsing only: the caller reads the file, so this stays testable without a disk.
import { badInput } from '../../kernel';

export interface TransactionRow {
  household: number;
  store: number;
  basket: number;
  product: number;
  /** Epoch ms of transaction_timestamp. */
  at: number;
  /** The local calendar date, YYYY-MM-DD (the `date` column). */
  date: string;
}

const REQUIRED = ['household_id', 'store_id', 'basket_id', 'product_id', 'transaction_timestamp', 'date'] as const;

/** Split one CSV line; fields may be double-quoted with "" as an escaped quote. */
function splitLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

export function parseTransactions(text: string, source = 'csv'): TransactionRow[] {
  const lines = text.split(/\r?\n/);
  const header = splitLine(lines[0] ?? '').map((h) => h.trim());
  const col = Object.fromEntries(REQUIRED.map((name) => [name, header.indexOf(name)])) as Record<(typeof REQUIRED)[number], number>;
  for (const name of REQUIRED) if (col[name] < 0) throw badInput(source, `missing column ${name}`);
  const rows: TransactionRow[] = [];
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n]!;
    if (line.trim() === '') continue;
    const f = splitLine(line);
    const num = (name: (typeof REQUIRED)[number]) => {
      const v = Number(f[col[name]]);
      if (!Number.isFinite(v)) throw badInput(source, `line ${n + 1}: ${name} is not a number`);
      return v;
    };
    const at = Date.parse(f[col.transaction_timestamp] ?? '');
    const date = f[col.date] ?? '';
    if (Number.isNaN(at) || !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw badInput(source, `line ${n + 1}: bad transaction_timestamp or date`);
    rows.push({ household: num('household_id'), store: num('store_id'), basket: num('basket_id'), product: num('product_id'), at, date });
  }
  return rows;
}

/**
 * products.csv (product_id, …, product_category, product_type, …) → product → category number.
 * `level` picks the column; each distinct label gets a number in order of first appearance.
 */
export function parseProductCategories(text: string, level: 'product_type' | 'product_category' = 'product_type'): Map<number, number> {
  const lines = text.split(/\r?\n/);
  const header = splitLine(lines[0] ?? '').map((h) => h.trim());
  const idCol = header.indexOf('product_id');
  const catCol = header.indexOf(level);
  if (idCol < 0 || catCol < 0) throw badInput('products', `missing column product_id or ${level}`);
  const ids = new Map<string, number>();
  const out = new Map<number, number>();
  for (let n = 1; n < lines.length; n++) {
    if (lines[n]!.trim() === '') continue;
    const f = splitLine(lines[n]!);
    const label = (f[catCol] ?? '').trim();
    if (label === '') continue;
    let id = ids.get(label);
    if (id === undefined) ids.set(label, (id = ids.size + 1));
    out.set(Number(f[idCol]), id);
  }
  return out;
}
