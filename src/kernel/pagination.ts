import { badInput } from './errors';

/**
 * Keyset (cursor) pagination. The cursor is an opaque base64url string holding the last id
 * of the previous page, so pages stay stable while rows are inserted, and the database
 * reads only `limit + 1` rows whatever page is asked for.
 */
export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export function encodeCursor(lastId: number): string {
  return Buffer.from(`i:${lastId}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined | null, field = 'cursor'): number | null {
  if (cursor === undefined || cursor === null || cursor === '') return null;
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^i:(\d{1,15})$/.exec(raw);
  if (!match) throw badInput(field, 'cursor is not one this server issued');
  return Number(match[1]);
}

/** Given rows fetched with `limit + 1`, cut to `limit` and compute the next cursor. */
export function toPage<T extends { id: number }>(rows: T[], limit: number): Page<T> {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  return { items, nextCursor: encodeCursor(items[items.length - 1]!.id) };
}
