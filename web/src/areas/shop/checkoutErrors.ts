import type { TFunction } from 'i18next';
import { ApiError } from '../../api/client';

/**
 * Which of the sent lines the server blamed (its field is "lines.<index>.…"), and a note for
 * it in the reader's language. The server names the reason only in its English message, so
 * the known phrasings are matched and anything else is shown as it came.
 */
export function blamedLine(err: unknown): number | null {
  if (!(err instanceof ApiError) || !err.field) return null;
  const m = /^lines\.(\d+)\./.exec(err.field);
  return m ? Number(m[1]) : null;
}

export function lineNote(t: TFunction, err: ApiError): string {
  const msg = err.message;
  let m: RegExpExecArray | null;
  if (/sold out/.test(msg)) return t('checkout.soldOut');
  if ((m = /only (\d+) of .* left/.exec(msg))) return t('checkout.onlyLeft', { count: Number(m[1]) });
  if ((m = /limited to (\d+) per person(?:; you have (\d+) already)?/.exec(msg))) {
    return m[2] !== undefined
      ? t('checkout.limitBought', { limit: Number(m[1]), bought: Number(m[2]) })
      : t('checkout.limit', { limit: Number(m[1]) });
  }
  if (/not on sale here/.test(msg)) return t('checkout.notOnSale');
  return msg;
}

/** Retrying these may find the order already placed; the same key makes that safe. */
export function isTransient(err: unknown): boolean {
  return err instanceof ApiError && (err.status === 0 || err.status >= 500);
}
