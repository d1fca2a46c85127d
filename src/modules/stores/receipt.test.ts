import { describe, expect, it } from 'vitest';
import { chinaTime, displayWidth, fenText, receiptText, wrap, type ReceiptData } from './receipt';

const line = (over: Partial<ReceiptData['lines'][number]> = {}): ReceiptData['lines'][number] => ({
  orderLineId: 1,
  skuId: 1,
  title: '可口可乐',
  spec: '330ml',
  unit: '罐',
  quantity: 1,
  unitPriceFen: 250,
  discountFen: 0,
  lineTotalFen: 250,
  refundedQuantity: 0,
  refundedFen: 0,
  ...over,
});

const receipt = (over: Partial<ReceiptData> = {}): ReceiptData => ({
  store: { id: 1, name: '邻家便利店', address: '文三路 2号楼底商' },
  orderId: 12,
  orderNo: 'LL00000012',
  status: 'completed',
  at: '2026-05-10T06:03:22.000Z',
  time: '2026-05-10 14:03:22',
  lines: [line()],
  itemsFen: 250,
  discountFen: 0,
  saleDiscountFen: 0,
  totalFen: 250,
  payment: { way: 'cash', provider: 'cash', status: 'succeeded' },
  cashReceivedFen: 1000,
  changeFen: 750,
  refunds: [],
  refundedFen: 0,
  netFen: 250,
  ...over,
});

describe('receipt text', () => {
  it('counts a Chinese character (and full-width punctuation) as two cells, ASCII as one, marks as none', () => {
    expect(displayWidth('可口可乐')).toBe(8);
    expect(displayWidth('330ml')).toBe(5);
    expect(displayWidth('￥，。')).toBe(6);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('')).toBe(0);
  });

  it('wraps by cells, never splitting a two-cell character, keeping ASCII words whole', () => {
    expect(wrap('ab中文', 5)).toEqual(['ab中', '文']);
    expect(wrap('农夫山泉 500g', 10)).toEqual(['农夫山泉', '500g']);
    expect(wrap('  农夫山泉天然水', 10)).toEqual(['  农夫山泉', '  天然水']);
    expect(wrap('x'.repeat(12), 5)).toEqual(['xxxxx', 'xxxxx', 'xx']);
    expect(wrap('第一行\n第二行', 40)).toEqual(['第一行 第二行']);
    for (const w of [3, 4, 7, 32]) for (const piece of wrap('邻里社区电商 linli open-source 小店收银', w)) expect(displayWidth(piece)).toBeLessThanOrEqual(w);
  });

  it('formats fen as yuan without a currency sign', () => {
    expect([fenText(0), fenText(5), fenText(2150), fenText(-500)]).toEqual(['0.00', '0.05', '21.50', '-5.00']);
    expect(chinaTime(new Date('2026-05-09T16:30:00Z'))).toBe('2026-05-10 00:30:00');
  });

  it('keeps every line within 32 cells on 58 mm and 48 on 80 mm, with long Chinese names and big figures', () => {
    const r = receipt({
      store: { id: 1, name: '邻家便利店（文三路旗舰店）二十四小时营业', address: '杭州市西湖区文三路 478 号华星时代广场 2 号楼底商' },
      lines: [
        line({ title: '农夫山泉饮用天然水家庭装特大桶装', spec: '4L×6桶', quantity: 12, unitPriceFen: 12_345_678, discountFen: 99, lineTotalFen: 12 * 12_345_678 - 99, refundedQuantity: 1, refundedFen: 12_345_670 }),
        line({ orderLineId: 2, title: 'Coca-Cola Zero Sugar Lime Limited Edition', spec: '330ml', discountFen: 3, lineTotalFen: 247 }),
      ],
      discountFen: 102,
      saleDiscountFen: 3,
      refunds: [{ id: 1, at: '', time: '2026-05-10 15:00:00', amountFen: 12_345_670, reason: '', restock: true, status: 'succeeded', lines: [{ orderLineId: 1, quantity: 1, amountFen: 12_345_670 }] }],
    });
    for (const [paper, cells] of [
      [58, 32],
      [80, 48],
    ] as const) {
      const text = receiptText(r, paper);
      expect(text.endsWith('\n')).toBe(true);
      const lines = text.trimEnd().split('\n');
      for (const l of lines) expect(displayWidth(l), `${paper} mm: "${l}"`).toBeLessThanOrEqual(cells);
      expect(lines.join('').replace(/ /g, '')).toContain('农夫山泉饮用天然水家庭装特大桶装4L×6桶');
      expect(text).toContain('-123456.70');
    }
  });

  it('80 mm: a short name shares its line with quantity, price and amount in columns', () => {
    const text = receiptText(receipt(), 80);
    const row = text.split('\n').find((l) => l.startsWith('可口可乐'))!;
    expect(row).toBe(`可口可乐 330ml${' '.repeat(24 - 14)}${'1'.padStart(6)}${'2.50'.padStart(9)}${'2.50'.padStart(9)}`);
    expect(displayWidth(row)).toBe(48);
  });

  it('cash shows what was handed over and the change; a provider sale waiting for payment says so; refunds and the net follow', () => {
    const cash = receiptText(receipt(), 58);
    expect(cash).toMatch(/现金 +10\.00\n找零 +7\.50\n/);
    const waiting = receiptText(receipt({ payment: { way: 'provider', provider: 'sandbox', status: 'created' }, cashReceivedFen: null, changeFen: null }), 58, 'en');
    expect(waiting).toMatch(/Paid by QR +Awaiting payment\n/);
    expect(waiting).not.toContain('Change');
    const refunded = receiptText(
      receipt({
        refunds: [{ id: 1, at: '', time: '2026-05-10 15:00:00', amountFen: 250, reason: '', restock: true, status: 'succeeded', lines: [{ orderLineId: 1, quantity: 1, amountFen: 250 }] }],
        refundedFen: 250,
        netFen: 0,
      }),
      58,
    );
    expect(refunded).toMatch(/退款 05-10 15:00 +-2\.50\n {2}可口可乐 330ml +x1\n退款合计 +-2\.50\n实收 +0\.00\n/);
  });
});
