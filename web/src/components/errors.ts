import type { TFunction } from 'i18next';
import { ApiError } from '../api/client';

const KNOWN = ['network', 'bad_input', 'unauthenticated', 'forbidden', 'not_found', 'conflict', 'unprocessable', 'internal'] as const;

/** A friendly headline for an error in the user's language, plus the server's own words. */
export function describeError(t: TFunction, err: unknown): { title: string; detail: string | undefined; requestId?: string | undefined } {
  if (err instanceof ApiError) {
    const code = (KNOWN as readonly string[]).includes(err.code) ? err.code : 'internal';
    // The server's message is technical English; show it only where it adds something.
    const detail = err.code === 'internal' || err.code === 'network' ? undefined : err.message;
    return { title: t(`errors.${code}`), detail, requestId: err.requestId };
  }
  return { title: t('errors.internal'), detail: err instanceof Error ? err.message : String(err) };
}

/** The form field the server blamed, e.g. "phone" or "skus.0.spec" → "skus.0.spec". */
export function errorField(err: unknown): string | undefined {
  return err instanceof ApiError ? err.field : undefined;
}
