/**
 * Keyset pagination over (sort value desc, _id desc): a cursor names the last item of a page,
 * so pages stay stable while new activity arrives (no skipped or repeated rows as with offsets).
 */
export interface Cursor {
  value: number;
  id: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.value, c.id]), 'utf8').toString('base64url');
}

/** Returns undefined for a cursor that was not made by `encodeCursor`. */
export function decodeCursor(s: string): Cursor | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'string') {
      return { value: v[0], id: v[1] };
    }
  } catch {
    // fall through: not a cursor of ours
  }
  return undefined;
}

/**
 * The page a list action answers: `pageOf`'s rows each shown by `view`, with the next page's
 * cursor only when there is one.
 */
export function viewPage<T, V>(rows: T[], limit: number, key: (row: T) => Cursor, view: (row: T) => V): { items: V[]; nextCursor?: string } {
  const page = pageOf(rows, limit, key);
  return { items: page.items.map(view), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

/** Splits a fetched `limit + 1` rows into the page and the cursor of the next one. */
export function pageOf<T>(rows: T[], limit: number, key: (row: T) => Cursor): { items: T[]; nextCursor?: string } {
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  return { items, nextCursor: encodeCursor(key(items[items.length - 1])) };
}
