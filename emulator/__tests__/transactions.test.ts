/** Document-level transactions through the real SDK: isolation, conflicts and retries, rollback. */
import { loadSdk, sdkDb, startTestEmulator, type SdkDb, type WxServerSdk } from './helpers';

type Emu = Awaited<ReturnType<typeof startTestEmulator>>;
let emu: Emu;
let cloud: WxServerSdk;

beforeAll(async () => {
  emu = await startTestEmulator();
  cloud = loadSdk();
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.db.remove('counters', {}, { multi: true });
  emu.db.insertMany('counters', [{ _id: 'visits', n: 0 }, { _id: 'other', n: 100 }]);
});

const inCloud = <T>(fn: (db: SdkDb) => Promise<T>): Promise<T> => emu.withContext(() => fn(sdkDb(cloud)));

test('concurrent runTransaction increments of one counter never lose an update', async () => {
  const runs = 8;
  const attempts = { n: 0 };
  await Promise.all(
    Array.from({ length: runs }, () =>
      inCloud((db) =>
        db.runTransaction(async (t) => {
          attempts.n++;
          const { data } = await t.collection<{ n: number }>('counters').doc('visits').get();
          // Give the other transactions time to read the same value.
          await new Promise((r) => setTimeout(r, 5));
          await t.collection('counters').doc('visits').update({ data: { n: data.n + 1 } });
        }, 20),
      ),
    ),
  );
  expect(emu.db.findById('counters', 'visits')).toEqual({ _id: 'visits', n: runs });
  expect(attempts.n).toBeGreaterThan(runs);
});

test('a commit whose read document changed since the read fails with the conflict error and applies nothing', async () => {
  const err = await inCloud(async (db) => {
    const t = await db.startTransaction();
    await t.collection('counters').doc('visits').get();
    await t.collection('counters').doc('other').update({ data: { n: 1 } });
    await db.collection('counters').doc('visits').update({ data: { n: 42 } });
    return t.commit().then(() => undefined, (e: unknown) => e);
  });
  expect(err).toMatchObject({ code: 'DATABASE_TRANSACTION_CONFLICT' });
  expect(emu.db.findById('counters', 'other')).toEqual({ _id: 'other', n: 100 });
  expect(emu.db.findById('counters', 'visits')).toEqual({ _id: 'visits', n: 42 });
});

test('reads inside a transaction see its own writes; others see nothing until commit', async () => {
  const seen = await inCloud(async (db) => {
    const t = await db.startTransaction();
    await t.collection('counters').doc('visits').update({ data: { n: 5 } });
    await t.collection('counters').doc('fresh').set({ data: { n: 1 } });
    await t.collection('counters').add({ data: { _id: 'added', n: 2 } });
    await t.collection('counters').doc('other').remove();
    const inside = {
      visits: (await t.collection('counters').doc('visits').get()).data,
      fresh: (await t.collection('counters').doc('fresh').get()).data,
      other: await t.collection('counters').doc('other').get().then(() => 'found', () => 'gone'),
    };
    const outside = (await db.collection('counters').get()).data;
    await t.commit();
    return { inside, outside };
  });
  expect(seen.inside).toEqual({ visits: { _id: 'visits', n: 5 }, fresh: { _id: 'fresh', n: 1 }, other: 'gone' });
  expect(seen.outside).toEqual([{ _id: 'visits', n: 0 }, { _id: 'other', n: 100 }]);
  expect(emu.db.find('counters', {}, { sort: { _id: 1 } })).toEqual([
    { _id: 'added', n: 2 },
    { _id: 'fresh', n: 1 },
    { _id: 'visits', n: 5 },
  ]);
});

test('a rolled-back transaction writes nothing', async () => {
  const outcome = await inCloud(async (db) => {
    const rolled = await db
      .runTransaction(async (t) => {
        await t.collection('counters').doc('visits').update({ data: { n: 99 } });
        await t.collection('counters').doc('new').set({ data: { n: 1 } });
        await t.rollback('changed my mind');
      })
      .then(() => 'committed', (reason: unknown) => reason);
    const t = await db.startTransaction();
    await t.collection('counters').doc('other').update({ data: { n: 0 } });
    await t.rollback();
    return rolled;
  });
  expect(outcome).toBe('changed my mind');
  expect(emu.db.find('counters', {}, { sort: { _id: 1 } })).toEqual([
    { _id: 'other', n: 100 },
    { _id: 'visits', n: 0 },
  ]);
});

test('an error thrown inside runTransaction rolls back and reaches the caller', async () => {
  const err = await inCloud((db) =>
    db.runTransaction(async (t) => {
      await t.collection('counters').doc('visits').update({ data: { n: 7 } });
      throw new Error('business rule failed');
    }),
  ).catch((e: unknown) => e);
  expect(String(err)).toContain('business rule failed');
  expect(emu.db.findById('counters', 'visits')).toEqual({ _id: 'visits', n: 0 });
});

test('a transaction on an unknown collection fails with -502005', async () => {
  const err = await inCloud(async (db) => {
    const t = await db.startTransaction();
    return t.collection('nope').doc('x').get().catch((e: unknown) => e);
  });
  expect(err).toMatchObject({ errCode: -502005 });
});

describe('errors the way CloudBase reports them through wx-server-sdk', () => {
  test('a conflict at commit keeps the raw DATABASE_TRANSACTION_CONFLICT code (no errCode)', async () => {
    const err = await inCloud(async (db) => {
      const t = await db.startTransaction();
      await t.collection('counters').doc('visits').get();
      await db.collection('counters').doc('visits').update({ data: { n: 7 } });
      await t.collection('counters').doc('visits').update({ data: { n: 8 } });
      return t.commit().then(() => undefined, (e: unknown) => e);
    });
    expect(err).toMatchObject({ code: 'DATABASE_TRANSACTION_CONFLICT' });
    expect((err as { errCode?: unknown }).errCode).toBeUndefined();
  });

  test('a taken _id is DATABASE_REQUEST_FAILED (-502001) carrying E11000, in and out of transactions', async () => {
    const plain = await inCloud((db) => db.collection('counters').add({ data: { _id: 'visits', n: 1 } })).catch((e: unknown) => e);
    expect(plain).toMatchObject({ errCode: -502001 });
    expect(String((plain as Error).message)).toMatch(/E11000 duplicate key error/);
    const inTx = await inCloud(async (db) => {
      const t = await db.startTransaction();
      const e = await t.collection('counters').add({ data: { _id: 'other', n: 1 } }).then(() => undefined, (x: unknown) => x);
      await t.rollback();
      return e;
    });
    expect(String((inTx as Error).message)).toMatch(/E11000 duplicate key error/);
  });

  test('a transaction past its lifetime is gone: -501001 carrying TransactionNotExist, nothing applied', async () => {
    const short = await startTestEmulator({ transactionLifetimeMs: 100 });
    try {
      short.db.insertMany('counters', [{ _id: 'visits', n: 0 }]);
      const err = await short.withContext(async () => {
        const db = sdkDb(cloud);
        const t = await db.startTransaction();
        await t.collection('counters').doc('visits').update({ data: { n: 1 } });
        await new Promise((r) => setTimeout(r, 150));
        return t.collection('counters').doc('visits').update({ data: { n: 2 } }).then(() => undefined, (e: unknown) => e);
      });
      expect(err).toMatchObject({ errCode: -501001 });
      expect(String((err as Error).message)).toContain('[ResourceUnavailable.TransactionNotExist]');
      expect(short.db.findById('counters', 'visits')).toEqual({ _id: 'visits', n: 0 });
    } finally {
      await short.close();
    }
  });

  test('a missing document read in a transaction is data: null with throwOnNotFound off', async () => {
    const got = await inCloud(async () => {
      const db = cloud.database({ throwOnNotFound: false } as Parameters<typeof cloud.database>[0]) as unknown as SdkDb;
      const t = await db.startTransaction();
      const r = await t.collection('counters').doc('nobody').get();
      await t.rollback();
      return r.data;
    });
    expect(got).toBeNull();
  });
});
