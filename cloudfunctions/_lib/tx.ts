/** Typings for the SDK's document-level transactions (its own typings say `any`). */

export interface TxDoc {
  get(): Promise<unknown>;
  set(o: { data: object }): Promise<unknown>;
}

export interface Tx {
  collection(name: string): { doc(id: string): TxDoc };
}

/** A transactional read; undefined when the document does not exist (the SDK rejects then). */
export async function txGet<T>(t: Tx, collection: string, id: string): Promise<T | undefined> {
  return t
    .collection(collection)
    .doc(id)
    .get()
    .then((r) => (r as { data?: T }).data, () => undefined);
}

/** The document as `set` takes it (the id is the doc reference's). */
export function withoutId<T extends { _id: string }>(doc: T): Omit<T, '_id'> {
  const { _id: _ignored, ...rest } = doc;
  return rest;
}
