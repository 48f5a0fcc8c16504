import { decodeCursor, encodeCursor, pageOf } from '../cursor';

describe('keyset cursors', () => {
  it('round-trips the last row of a page', () => {
    const c = { value: 1763863200000, id: 'cus-00042' };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
  });

  it('rejects strings it did not make', () => {
    expect(decodeCursor('hello')).toBeUndefined();
    expect(decodeCursor(Buffer.from('[1,2]').toString('base64url'))).toBeUndefined();
    expect(decodeCursor('')).toBeUndefined();
  });

  it('cuts limit + 1 rows into a page and the cursor of the next one', () => {
    const rows = [5, 4, 3].map((n) => ({ t: n, id: `r${n}` }));
    const page = pageOf(rows, 2, (r) => ({ value: r.t, id: r.id }));
    expect(page.items.map((r) => r.id)).toEqual(['r5', 'r4']);
    expect(decodeCursor(page.nextCursor!)).toEqual({ value: 4, id: 'r4' });
    expect(pageOf(rows, 3, (r) => ({ value: r.t, id: r.id })).nextCursor).toBeUndefined();
  });
});
