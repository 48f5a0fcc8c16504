/**
 * The real wx-server-sdk against the emulator: what application code sees for queries,
 * updates, removal, counting, aggregation and errors.
 */
import { loadSdk, sdkDb, startTestEmulator, type SdkDb, type WxServerSdk } from './helpers';

type Emu = Awaited<ReturnType<typeof startTestEmulator>>;
let emu: Emu;
let cloud: WxServerSdk;

interface Customer {
  _id: string;
  name: string;
  storeId: string;
  score: number;
  tags: string[];
  profile: { city: string; age?: number };
  createdAt: number;
  phone?: string;
}

const customers: Customer[] = [
  { _id: 'c1', name: '张伟', storeId: 's1', score: 90, tags: ['suv', 'vip'], profile: { city: '上海', age: 35 }, createdAt: 100, phone: '13800000001' },
  { _id: 'c2', name: '王芳', storeId: 's1', score: 75, tags: ['sedan'], profile: { city: '杭州', age: 28 }, createdAt: 200 },
  { _id: 'c3', name: '李娜', storeId: 's2', score: 75, tags: ['suv'], profile: { city: '上海' }, createdAt: 300, phone: '13800000003' },
  { _id: 'c4', name: '刘洋', storeId: 's2', score: 40, tags: [], profile: { city: '苏州', age: 51 }, createdAt: 400 },
  { _id: 'c5', name: '陈静', storeId: 's3', score: 60, tags: ['nev', 'vip'], profile: { city: '杭州', age: 44 }, createdAt: 500 },
];

beforeAll(async () => {
  emu = await startTestEmulator();
  cloud = loadSdk();
});
afterAll(() => emu.close());
beforeEach(() => {
  for (const name of ['customers', 'events']) emu.db.remove(name, {}, { multi: true });
  emu.db.insertMany('customers', customers);
});

const inCloud = <T>(fn: (db: SdkDb) => Promise<T>): Promise<T> => emu.withContext(() => fn(sdkDb(cloud)));
const ids = (docs: Array<{ _id: string }>) => docs.map((d) => d._id);

describe('where queries', () => {
  test('equality, nested fields and command operators select the same documents MongoDB would', async () => {
    const result = await inCloud(async (db) => {
      const _ = db.command;
      const c = db.collection('customers');
      return {
        eq: (await c.where({ storeId: 's1' }).get()).data,
        nested: (await c.where({ profile: { city: '上海' } }).get()).data,
        dotted: (await c.where({ 'profile.city': '杭州' }).get()).data,
        gt: (await c.where({ score: _.gt(70) }).get()).data,
        range: (await c.where({ score: _.gte(60).and(_.lt(90)) }).get()).data,
        inList: (await c.where({ storeId: _.in(['s2', 's3']) }).get()).data,
        nin: (await c.where({ storeId: _.nin(['s1', 's2']) }).get()).data,
        neq: (await c.where({ storeId: _.neq('s1') }).get()).data,
        exists: (await c.where({ phone: _.exists(true) }).get()).data,
        missing: (await c.where({ 'profile.age': _.exists(false) }).get()).data,
        arrayContains: (await c.where({ tags: 'vip' }).get()).data,
        all: (await c.where({ tags: _.all(['suv', 'vip']) }).get()).data,
        size: (await c.where({ tags: _.size(0) }).get()).data,
        or: (await c.where(_.or([{ storeId: 's3' }, { score: _.lt(50) }])).get()).data,
        fieldOr: (await c.where({ score: _.lt(50).or(_.gt(80)) }).get()).data,
        and: (await c.where(_.and([{ storeId: 's1' }, { score: _.lt(80) }])).get()).data,
        regex: (await c.where({ name: /^[张王]/ }).get()).data,
        dbRegex: (await c.where({ phone: db.RegExp({ regexp: '0003$', options: 'i' }) }).get()).data,
      };
    });
    expect(ids(result.eq)).toEqual(['c1', 'c2']);
    expect(ids(result.nested)).toEqual(['c1', 'c3']);
    expect(ids(result.dotted)).toEqual(['c2', 'c5']);
    expect(ids(result.gt)).toEqual(['c1', 'c2', 'c3']);
    expect(ids(result.range)).toEqual(['c2', 'c3', 'c5']);
    expect(ids(result.inList)).toEqual(['c3', 'c4', 'c5']);
    expect(ids(result.nin)).toEqual(['c5']);
    expect(ids(result.neq)).toEqual(['c3', 'c4', 'c5']);
    expect(ids(result.exists)).toEqual(['c1', 'c3']);
    expect(ids(result.missing)).toEqual(['c3']);
    expect(ids(result.arrayContains)).toEqual(['c1', 'c5']);
    expect(ids(result.all)).toEqual(['c1']);
    expect(ids(result.size)).toEqual(['c4']);
    expect(ids(result.or)).toEqual(['c4', 'c5']);
    expect(ids(result.fieldOr)).toEqual(['c1', 'c4']);
    expect(ids(result.and)).toEqual(['c2']);
    expect(ids(result.regex)).toEqual(['c1', 'c2']);
    expect(ids(result.dbRegex)).toEqual(['c3']);
  });

  test('orderBy on several fields, skip, limit and field projection', async () => {
    const page = await inCloud(async (db) =>
      (await db.collection('customers').orderBy('score', 'desc').orderBy('createdAt', 'asc').skip(1).limit(3).field({ name: true, score: true }).get()).data,
    );
    expect(page).toEqual([
      { _id: 'c2', name: '王芳', score: 75 },
      { _id: 'c3', name: '李娜', score: 75 },
      { _id: 'c5', name: '陈静', score: 60 },
    ]);
  });

  test('doc().get() returns the document; a missing one fails like the cloud', async () => {
    const got = await inCloud(async (db) => (await db.collection('customers').doc('c4').get()).data);
    expect(got).toEqual(customers[3]);
    await expect(inCloud((db) => db.collection('customers').doc('nope').get())).rejects.toThrow('document with _id nope does not exist');
  });

  test('server reads return at most 100 documents by default and 1000 at most', async () => {
    emu.db.insertMany('events', Array.from({ length: 1200 }, (_, i) => ({ customerId: `c${i % 3}`, seq: i })));
    const counts = await inCloud(async (db) => ({
      byDefault: (await db.collection('events').get()).data.length,
      capped: (await db.collection('events').limit(5000).get()).data.length,
      total: (await db.collection('events').count()).total,
    }));
    expect(counts).toEqual({ byDefault: 100, capped: 1000, total: 1200 });
  });

  test('dates round-trip as Date objects and compare as dates', async () => {
    const found = await inCloud(async (db) => {
      const _ = db.command;
      await db.collection('events').add({ data: { _id: 'e1', at: new Date('2025-03-01T08:00:00Z') } });
      await db.collection('events').add({ data: { _id: 'e2', at: new Date('2025-05-01T08:00:00Z') } });
      return (await db.collection<{ _id: string; at: Date }>('events').where({ at: _.gt(new Date('2025-04-01T00:00:00Z')) }).get()).data;
    });
    expect(found).toHaveLength(1);
    expect(found[0]._id).toBe('e2');
    expect(found[0].at).toBeInstanceOf(Date);
    expect(found[0].at.toISOString()).toBe('2025-05-01T08:00:00.000Z');
  });
});

describe('writes', () => {
  test('add returns generated or given ids; serverDate becomes the server time', async () => {
    const before = Date.now();
    const res = await inCloud(async (db) => {
      const one = await db.collection('events').add({ data: { kind: 'view', at: db.serverDate() } });
      const given = await db.collection('events').add({ data: { _id: 'mine', kind: 'share' } });
      return { one, given };
    });
    expect(res.one._id).toMatch(/^[0-9a-f]{32}$/);
    expect(res.given._id).toBe('mine');
    const stored = emu.db.findById<{ at: Date }>('events', res.one._id);
    expect(stored?.at).toBeInstanceOf(Date);
    expect(stored!.at.getTime()).toBeGreaterThanOrEqual(before);
    await expect(inCloud((db) => db.collection('events').add({ data: { _id: 'mine' } }))).rejects.toThrow(/duplicate key/);
  });

  test('update operators the SDK emits change documents as MongoDB would', async () => {
    const stats = await inCloud(async (db) => {
      const _ = db.command;
      return db.collection('customers').doc('c1').update({
        data: {
          score: _.inc(5),
          tags: _.push(['loyal']),
          'profile.city': '北京',
          profile: { age: _.mul(2) },
          phone: _.remove(),
          visits: _.set({ count: 1 }),
        },
      });
    });
    expect(stats.stats.updated).toBe(1);
    expect(emu.db.findById('customers', 'c1')).toEqual({
      _id: 'c1', name: '张伟', storeId: 's1', score: 95, tags: ['suv', 'vip', 'loyal'], profile: { city: '北京', age: 70 }, createdAt: 100, visits: { count: 1 },
    });

    await inCloud(async (db) => {
      const _ = db.command;
      const doc = db.collection('customers').doc('c5');
      await doc.update({ data: { tags: _.unshift(['first']) } });
      await doc.update({ data: { tags: _.pull('vip') } });
      await doc.update({ data: { tags: _.addToSet('nev') } });
      await doc.update({ data: { tags: _.addToSet('new') } });
      await doc.update({ data: { tags: _.shift() } });
      await doc.update({ data: { score: _.max(70), createdAt: _.min(10) } });
    });
    expect(emu.db.findById('customers', 'c5')).toMatchObject({ tags: ['nev', 'new'], score: 70, createdAt: 10 });
  });

  test('an update that changes nothing reports 0 updated; an unknown id too', async () => {
    const res = await inCloud(async (db) => ({
      same: await db.collection('customers').doc('c2').update({ data: { storeId: 's1' } }),
      unknown: await db.collection('customers').doc('nope').update({ data: { storeId: 's9' } }),
    }));
    expect(res.same.stats.updated).toBe(0);
    expect(res.unknown.stats.updated).toBe(0);
  });

  test('doc().set() replaces the whole document, or creates it', async () => {
    const res = await inCloud(async (db) => ({
      replaced: await db.collection('customers').doc('c2').set({ data: { name: '王芳', storeId: 's9' } }),
      created: await db.collection('customers').doc('c9').set({ data: { name: '新客户', storeId: 's1' } }),
    }));
    expect(res.replaced.stats).toEqual({ updated: 1, created: 0 });
    expect(res.created.stats).toEqual({ updated: 0, created: 1 });
    expect(emu.db.findById('customers', 'c2')).toEqual({ _id: 'c2', name: '王芳', storeId: 's9' });
    expect(emu.db.findById('customers', 'c9')).toEqual({ _id: 'c9', name: '新客户', storeId: 's1' });
  });

  test('where().update() changes every match; where().remove() removes every match', async () => {
    const res = await inCloud(async (db) => {
      const _ = db.command;
      const updated = await db.collection('customers').where({ score: _.lte(75) }).update({ data: { segment: 'nurture' } });
      const removed = await db.collection('customers').where({ storeId: 's2' }).remove();
      return { updated: updated.stats.updated, removed: removed.stats.removed };
    });
    expect(res).toEqual({ updated: 4, removed: 2 });
    expect(emu.db.find('customers', { segment: 'nurture' }).map((d) => d._id)).toEqual(['c2', 'c5']);
    expect(emu.db.count('customers')).toBe(3);
  });

  test('doc().remove() removes one document', async () => {
    const res = await inCloud((db) => db.collection('customers').doc('c3').remove());
    expect(res.stats.removed).toBe(1);
    expect(emu.db.findById('customers', 'c3')).toBeUndefined();
  });

  test('count() counts matches', async () => {
    const total = await inCloud(async (db) => (await db.collection('customers').where({ tags: 'vip' }).count()).total);
    expect(total).toBe(2);
  });
});

describe('aggregate', () => {
  test('match, group, sort, limit, skip, project, unwind, count, addFields', async () => {
    const list = await inCloud(async (db) => {
      const $ = db.command.aggregate;
      return {
        byStore: (
          await db.collection('customers').aggregate()
            .match({ score: db.command.gte(50) })
            .group({ _id: '$storeId', n: $.sum(1), avg: $.avg('$score') })
            .sort({ n: -1, _id: 1 })
            .skip(0)
            .limit(2)
            .end()
        ).list,
        tags: (
          await db.collection('customers').aggregate()
            .unwind('$tags')
            .group({ _id: '$tags', n: $.sum(1) })
            .sort({ _id: 1 })
            .project({ _id: 0, tag: '$_id', n: 1 })
            .end()
        ).list,
        counted: (await db.collection('customers').aggregate().match({ storeId: 's1' }).count('n').end()).list,
        added: (
          await db.collection('customers').aggregate()
            .match({ _id: 'c4' })
            .addFields({ double: $.multiply(['$score', 2]) })
            .project({ double: 1 })
            .end()
        ).list,
      };
    });
    expect(list.byStore).toEqual([{ _id: 's1', n: 2, avg: 82.5 }, { _id: 's2', n: 1, avg: 75 }]);
    expect(list.tags).toEqual([
      { tag: 'nev', n: 1 }, { tag: 'sedan', n: 1 }, { tag: 'suv', n: 2 }, { tag: 'vip', n: 2 },
    ]);
    expect(list.counted).toEqual([{ n: 2 }]);
    expect(list.added).toEqual([{ _id: 'c4', double: 80 }]);
    expect(emu.db.findById('customers', 'c4')).toEqual(customers[3]);
  });

  test('lookup joins another collection', async () => {
    emu.db.insertMany('events', [
      { _id: 'e1', customerId: 'c1', kind: 'view' },
      { _id: 'e2', customerId: 'c1', kind: 'visit' },
      { _id: 'e3', customerId: 'c2', kind: 'view' },
    ]);
    const joined = await inCloud(async (db) => {
      const $ = db.command.aggregate;
      return (
        await db.collection('customers').aggregate()
          .match({ storeId: 's1' })
          .lookup({ from: 'events', localField: '_id', foreignField: 'customerId', as: 'events' })
          .project({ n: $.size('$events') })
          .end()
      ).list;
    });
    expect(joined).toEqual([{ _id: 'c1', n: 2 }, { _id: 'c2', n: 1 }]);
  });

  test('facet is not reachable through the SDK (its wire layer lacks the stage), as in the cloud', () => {
    return expect(inCloud((db) => db.collection('customers').aggregate().facet({ all: [{ $count: 'n' }] }).end())).rejects.toThrow(TypeError);
  });
});

describe('collections', () => {
  test('an unknown collection fails with -502005 as in the cloud', async () => {
    const err = await inCloud((db) => db.collection('nope').where({ a: 1 }).get()).catch((e: unknown) => e);
    expect(err).toMatchObject({ errCode: -502005 });
    expect(String((err as Error).message)).toContain('database collection not exists');
    await expect(inCloud((db) => db.collection('nope').add({ data: { a: 1 } }))).rejects.toMatchObject({ errCode: -502005 });
  });

  test('createCollection makes a collection usable; creating it twice fails', async () => {
    const name = `made_${Date.now()}`;
    await inCloud((db) => db.createCollection(name));
    const added = await inCloud((db) => db.collection(name).add({ data: { a: 1 } }));
    expect(emu.db.findById(name, added._id)).toEqual({ _id: added._id, a: 1 });
    await expect(inCloud((db) => db.createCollection(name))).rejects.toThrow(/Table exist/);
  });
});

describe('read cap', () => {
  test('with a cap below 1000, a read returns at most the cap whatever limit it asks', async () => {
    const capped = await startTestEmulator({ readCap: 100 });
    try {
      capped.db.insertMany('events', Array.from({ length: 250 }, (_, i) => ({ _id: `e${String(i).padStart(3, '0')}`, seq: i })));
      const got = await capped.withContext(async () => (await sdkDb(loadSdk()).collection('events').limit(1000).get()).data.length);
      expect(got).toBe(100);
    } finally {
      await capped.close();
    }
  });
});
