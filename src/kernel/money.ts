import { DomainError } from './errors';

/**
 * Money is always an integer number of fen (分, 1/100 yuan). A branded type keeps yuan
 * floats from sneaking in; JS numbers are exact for integers up to 2^53 fen (~90 trillion yuan).
 */
export type Fen = number & { readonly __unit: 'fen' };

export function fen(value: number, field = 'amount'): Fen {
  if (!Number.isSafeInteger(value)) {
    throw new DomainError('bad_input', `${field} must be an integer number of fen`, { field });
  }
  return value as Fen;
}

export function addFen(a: Fen, b: Fen): Fen {
  return fen(a + b);
}

/** Multiply a price by an integer quantity. */
export function timesQty(price: Fen, qty: number): Fen {
  if (!Number.isSafeInteger(qty)) throw new DomainError('bad_input', 'quantity must be an integer', { field: 'quantity' });
  return fen(price * qty);
}

/** Percentage of an amount in basis points (1/100 of a percent), rounded half away from zero. */
export function basisPointsOf(amount: Fen, bps: number): Fen {
  const raw = (amount * bps) / 10_000;
  return fen(Math.sign(raw) * Math.round(Math.abs(raw)));
}

/** "¥12.50" — for display only; never parse this back. */
export function formatYuan(amount: Fen): string {
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  return `${sign}¥${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
