// The web app's money helpers: yuan typed by an operator must become exact integer fen.
import { describe, expect, it } from 'vitest';
import { formatFen, parseYuanToFen } from '../../web/src/api/money';

describe('parseYuanToFen', () => {
  it.each([
    ['12.50', 1250],
    ['12.5', 1250],
    ['12', 1200],
    ['0.29', 29], // 0.29 * 100 is 28.999999999999996 in floats
    ['1.15', 115], // 1.15 * 100 is 114.99999999999999
    ['19.99', 1999],
    ['.5', 50],
    ['  ¥1,234.56 ', 123456],
    ['0', 0],
  ])('%s → %i fen', (text, fen) => {
    expect(parseYuanToFen(text)).toBe(fen);
  });

  it.each(['', 'abc', '1.234', '-1', '12.3.4', '1e3', '¥'])('rejects %j', (text) => {
    expect(parseYuanToFen(text)).toBeNull();
  });
});

describe('formatFen', () => {
  it('shows yuan with two decimals', () => {
    expect(formatFen(1250)).toBe('¥12.50');
    expect(formatFen(29)).toBe('¥0.29');
    expect(formatFen(123456)).toBe('¥1,234.56');
    expect(formatFen(-5)).toBe('-¥0.05');
  });

  it('round-trips through the parser', () => {
    for (const fen of [0, 1, 29, 115, 1999, 100_000_000]) expect(parseYuanToFen(formatFen(fen))).toBe(fen);
  });
});
