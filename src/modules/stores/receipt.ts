// The counter sale's receipt (小票): its data, and its plain-text layout for a thermal roll
// printer. Pure: no I/O; the POS flow gathers the data (src/flows/stores/pos-receipts.ts).
//
// Width: a Chinese thermal printer (ESC/POS, GB18030 mode) prints ASCII in one cell (12 dots)
// and every other character in two (24 dots): a 58 mm roll holds 32 cells (384 dots), an 80 mm
// roll 48 (576 dots). Only that rule matters, so it is written out here rather than borrowed
// from a terminal-width library (which counts "×" or "¥" as one cell; this printer does not).
// The layout itself uses ASCII only; titles, names and labels may be Chinese.

export type ReceiptPaper = 58 | 80;
export type ReceiptLang = 'zh-CN' | 'en';
/** Cells per line of each roll width. */
export const RECEIPT_COLUMNS: Readonly<Record<ReceiptPaper, number>> = { 58: 32, 80: 48 };

export interface ReceiptLine {
  orderLineId: number;
  skuId: number;
  title: string;
  spec: string;
  unit: string;
  quantity: number;
  unitPriceFen: number;
  /** Everything taken off this line: its own discount and its share of the whole-sale discount. */
  discountFen: number;
  lineTotalFen: number;
  refundedQuantity: number;
  refundedFen: number;
}

export interface ReceiptRefund {
  id: number;
  at: string;
  /** China time, YYYY-MM-DD HH:MM:SS. */
  time: string;
  amountFen: number;
  reason: string;
  restock: boolean;
  status: 'succeeded' | 'pending' | 'failed';
  lines: { orderLineId: number; quantity: number; amountFen: number }[];
}

export interface ReceiptData {
  store: { id: number; name: string; address: string };
  orderId: number;
  orderNo: string;
  status: string;
  /** When it was paid (or rung up, while unpaid), ISO. */
  at: string;
  /** The same in China time, YYYY-MM-DD HH:MM:SS: what the receipt prints. */
  time: string;
  lines: ReceiptLine[];
  itemsFen: number;
  /** Every discount of the sale (the lines' own and the whole-sale one). */
  discountFen: number;
  /** The whole-sale discount as rung up (already spread over the lines); null when not recorded. */
  saleDiscountFen: number | null;
  totalFen: number;
  payment: { way: 'cash' | 'provider'; provider: string; status: string };
  /** Cash only: what the customer handed over and the change; null otherwise or not recorded. */
  cashReceivedFen: number | null;
  changeFen: number | null;
  refunds: ReceiptRefund[];
  refundedFen: number;
  /** What the store keeps of the sale: paid − refunded. */
  netFen: number;
}

/** YYYY-MM-DD HH:MM:SS in China time (UTC+8, no daylight saving). */
export function chinaTime(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
}

/** Combining marks, variation selectors, zero-width spaces and joiners: they print in no cell of their own. */
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;

/** Cells a string takes on the printer: ASCII one, marks and zero-width characters none, anything else two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch);
  return w;
}

function charWidth(ch: string): number {
  const c = ch.codePointAt(0)!;
  if (c < 0x20 || c === 0x7f) return 0;
  if (c < 0x7f) return 1;
  return ZERO_WIDTH.test(ch) ? 0 : 2;
}

/**
 * Cut `s` into lines of at most `width` cells. Breaks between words (a run of ASCII such as
 * "500g" or "330ml" stays whole) or between Chinese characters, never inside a two-cell
 * character; a word longer than a line is cut. Leading spaces indent every line; control
 * characters (a newline in a title) become spaces.
 */
export function wrap(s: string, width: number): string[] {
  // eslint-disable-next-line no-control-regex
  const text = s.replace(/[\u0000-\u001f\u007f]/g, ' ').trimEnd();
  const lead = /^ */.exec(text)![0];
  const indent = lead.length <= width / 4 ? lead : '';
  const tokens = text.slice(lead.length).match(/[\x21-\x7e]+|\s+|[^\s\x21-\x7e]/gu) ?? [];
  const out: string[] = [];
  let cur = indent;
  let w = indent.length;
  const flush = () => {
    out.push(cur.trimEnd());
    cur = indent;
    w = indent.length;
  };
  for (const tok of tokens) {
    if (/^\s+$/.test(tok)) {
      // Spaces collapse to one, and none starts a line.
      if (w > indent.length) {
        cur += ' ';
        w += 1;
      }
      continue;
    }
    const tw = displayWidth(tok);
    if (w + tw <= width) {
      cur += tok;
      w += tw;
      continue;
    }
    if (w > indent.length) flush();
    for (const ch of tok) {
      const cw = charWidth(ch);
      if (w + cw > width && w > indent.length) flush();
      cur += ch;
      w += cw;
    }
  }
  if (w > indent.length || out.length === 0) out.push(cur.trimEnd());
  return out;
}

const padEnd = (s: string, width: number) => s + ' '.repeat(Math.max(0, width - displayWidth(s)));
const padStart = (s: string, width: number) => ' '.repeat(Math.max(0, width - displayWidth(s))) + s;

/** `left`, then `right` aligned to the right edge: `left` wrapped when long, `right` on a line of its own when it does not fit beside the last piece. */
function spread(left: string, right: string, width: number): string[] {
  const rw = displayWidth(right);
  const parts = wrap(left, width);
  const last = parts[parts.length - 1]!;
  const lw = displayWidth(last);
  if (lw + 1 + rw <= width) return [...parts.slice(0, -1), last + ' '.repeat(width - lw - rw) + right];
  return [...parts, padStart(right, width)];
}

function center(s: string, width: number): string[] {
  return wrap(s, width).map((part) => ' '.repeat(Math.floor((width - displayWidth(part)) / 2)) + part);
}

/** 2150 → "21.50", −500 → "-5.00": plain digits, no currency sign (not every printer has ¥). */
export function fenText(fen: number): string {
  const abs = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

const LABELS = {
  'zh-CN': {
    orderNo: '单号',
    time: '时间',
    item: '商品',
    qty: '数量',
    price: '单价',
    amount: '金额',
    discount: '优惠',
    items: '商品合计',
    discounts: '优惠合计',
    saleDiscount: '其中整单优惠',
    total: '应收',
    cash: '现金',
    change: '找零',
    provider: '扫码支付',
    unpaid: '待支付',
    refund: '退款',
    refunded: '已退',
    refundPending: '退款处理中',
    refundedTotal: '退款合计',
    net: '实收',
    thanks: '谢谢惠顾，欢迎再来',
  },
  en: {
    orderNo: 'Order',
    time: 'Time',
    item: 'Item',
    qty: 'Qty',
    price: 'Price',
    amount: 'Amount',
    discount: 'Discount',
    items: 'Items',
    discounts: 'Discounts',
    saleDiscount: 'of which on the sale',
    total: 'Total',
    cash: 'Cash',
    change: 'Change',
    provider: 'Paid by QR',
    unpaid: 'Awaiting payment',
    refund: 'Refund',
    refunded: 'Refunded',
    refundPending: 'Refund pending',
    refundedTotal: 'Refunded in all',
    net: 'Net paid',
    thanks: 'Thank you, come again',
  },
} as const satisfies Record<ReceiptLang, Record<string, string>>;

const titleOf = (l: { title: string; spec: string }) => (l.spec ? `${l.title} ${l.spec}` : l.title);

/**
 * The receipt as plain text for a roll of `paper` mm: every line at most RECEIPT_COLUMNS[paper]
 * cells (two per Chinese character), lines joined by "\n", ending with one.
 */
export function receiptText(r: ReceiptData, paper: ReceiptPaper, lang: ReceiptLang = 'zh-CN'): string {
  const W = RECEIPT_COLUMNS[paper];
  const L = LABELS[lang];
  const rule = '-'.repeat(W);
  const out: string[] = [];
  out.push(...center(r.store.name, W));
  if (r.store.address) out.push(...center(r.store.address, W));
  out.push(rule);
  out.push(...spread(L.orderNo, r.orderNo, W), ...spread(L.time, r.time, W));
  out.push(rule);

  if (paper === 80) {
    // Columns: item 24 | qty 6 | price 9 | amount 9 (48 cells). Figures too long for their
    // columns (a price of ¥100,000 or more) fall back to the narrow layout's two lines.
    const row = (item: string, qty: string, price: string, amount: string): string[] => {
      const line = padEnd(item, 24) + padStart(qty, 6) + padStart(price, 9) + padStart(amount, 9);
      if (displayWidth(line) <= W && qty.length < 6 && price.length < 9 && amount.length < 9) return [line];
      return [...(item ? wrap(item, W) : []), ...spread(`  ${qty} x ${price}`, amount, W)];
    };
    out.push(...row(L.item, L.qty, L.price, L.amount));
    for (const l of r.lines) {
      const title = wrap(titleOf(l), 24);
      const numbers = [String(l.quantity), fenText(l.unitPriceFen), fenText(l.unitPriceFen * l.quantity)] as const;
      // A title that fits its column shares the line with the figures; a longer one runs full width above them.
      if (title.length === 1) out.push(...row(title[0]!, ...numbers));
      else out.push(...wrap(titleOf(l), W), ...row('', ...numbers));
      out.push(...lineExtras(l, W, L));
    }
  } else {
    for (const l of r.lines) {
      out.push(...wrap(titleOf(l), W));
      out.push(...spread(`  ${l.quantity} x ${fenText(l.unitPriceFen)}`, fenText(l.unitPriceFen * l.quantity), W));
      out.push(...lineExtras(l, W, L));
    }
  }

  out.push(rule);
  out.push(...spread(L.items, fenText(r.itemsFen), W));
  if (r.discountFen > 0) out.push(...spread(L.discounts, fenText(-r.discountFen), W));
  if (r.saleDiscountFen) out.push(...spread(`  ${L.saleDiscount}`, fenText(-r.saleDiscountFen), W));
  out.push(...spread(L.total, fenText(r.totalFen), W));
  if (r.payment.way === 'cash') {
    if (r.cashReceivedFen !== null) out.push(...spread(L.cash, fenText(r.cashReceivedFen), W));
    if (r.changeFen !== null) out.push(...spread(L.change, fenText(r.changeFen), W));
  } else {
    out.push(...spread(L.provider, r.payment.status === 'succeeded' ? fenText(r.totalFen) : L.unpaid, W));
  }

  if (r.refunds.length > 0) {
    out.push(rule);
    const byLine = new Map(r.lines.map((l) => [l.orderLineId, l]));
    for (const f of r.refunds) {
      const label = f.status === 'succeeded' ? L.refund : L.refundPending;
      out.push(...spread(`${label} ${f.time.slice(5, 16)}`, fenText(-f.amountFen), W));
      for (const fl of f.lines) {
        const l = byLine.get(fl.orderLineId);
        if (l) out.push(...spread(`  ${titleOf(l)}`, `x${fl.quantity}`, W));
      }
    }
    out.push(...spread(L.refundedTotal, fenText(-r.refundedFen), W));
    out.push(...spread(L.net, fenText(r.netFen), W));
  }
  out.push(rule);
  out.push(...center(L.thanks, W));
  return `${out.join('\n')}\n`;
}

/** Below a line's figures: what was taken off it, and what of it was returned. */
function lineExtras(l: ReceiptLine, W: number, L: (typeof LABELS)[ReceiptLang]): string[] {
  const out: string[] = [];
  if (l.discountFen > 0) out.push(...spread(`  ${L.discount}`, fenText(-l.discountFen), W));
  if (l.discountFen > 0 || l.refundedQuantity > 0) out.push(...spread(`  ${L.amount}`, fenText(l.lineTotalFen), W));
  if (l.refundedQuantity > 0) out.push(...spread(`  ${L.refunded} ${l.refundedQuantity}`, fenText(-l.refundedFen), W));
  return out;
}
