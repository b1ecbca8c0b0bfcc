import type { Page } from '../../shared/dto.js';

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
