import type { Page } from '../../shared/dto.js';
import { badRequest } from '../errors.js';

/**
 * The one way a list is paged: the query fetched `limit + 1` rows in the list's order, so there is
 * a next page exactly when that extra row came back — never a phantom page after a last page that
 * happens to be full. The cursor names the last row shown (its id, or what the order needs).
 */
export async function pageOf<Row, Item>(
  rows: Row[],
  limit: number,
  present: (rows: Row[]) => Item[] | Promise<Item[]>,
  cursorOf: (last: Row) => string,
): Promise<Page<Item>> {
  const shown = rows.slice(0, limit);
  return { items: await present(shown), nextCursor: rows.length > limit ? cursorOf(shown[shown.length - 1]) : null };
}

/** A cursor made of the sort keys of the last row shown (opaque to clients). */
export function keysetCursor(keys: (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(keys)).toString('base64url');
}

/** The sort keys in a keyset cursor, checked against their kinds; a cursor not made here is a 400 naming `cursor`. */
export function readKeysetCursor<K extends ('string' | 'number' | 'id' | 'string?')[]>(cursor: string, kinds: K): { [I in keyof K]: K[I] extends 'number' ? number : K[I] extends 'string?' ? string | null : string } {
  let keys: unknown;
  try {
    keys = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    keys = undefined;
  }
  const fits =
    Array.isArray(keys) &&
    keys.length === kinds.length &&
    kinds.every((kind, i) => {
      const key = keys[i];
      if (kind === 'number') return typeof key === 'number' && Number.isFinite(key);
      if (kind === 'id') return typeof key === 'string' && /^[1-9]\d{0,18}$/.test(key);
      if (kind === 'string?') return key === null || typeof key === 'string';
      return typeof key === 'string';
    });
  if (!fits) throw badRequest('The cursor is not one this list gave out: start again from the first page', [{ path: 'cursor', message: 'not a cursor of this list', code: 'invalid_cursor' }]);
  return keys as never;
}
