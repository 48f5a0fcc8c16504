/**
 * The wire contract: every request body the pinned SDK sends for each database and function
 * action, normalised (request ids, timestamps, signatures, transaction ids), compared with the
 * committed wire-contract.json. An SDK upgrade that changes the wire fails here.
 * Regenerate deliberately with UPDATE_WIRE_CONTRACT=1.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSdk, sdkDb, startTestEmulator, type SdkDb, type WxServerSdk } from './helpers';

const FIXTURE = join(__dirname, 'wire-contract.json');
const STABLE_HEADERS = ['content-type', 'user-agent', 'x-sdk-version', 'x-tcb-source', 'x-signature-expires'];

interface Recorded {
  url: string;
  headers: Record<string, unknown>;
  body: Record<string, unknown>;
}

function normalize(request: { body: Record<string, unknown>; headers: Record<string, unknown>; url: string }): Recorded {
  const headers: Record<string, unknown> = { names: Object.keys(request.headers).sort() };
  for (const h of STABLE_HEADERS) if (request.headers[h] !== undefined) headers[h] = request.headers[h];
  const auth = request.headers.authorization;
  if (typeof auth === 'string') headers.authorization = auth.replace(/Credential=[^,]+/, 'Credential=<credential>').replace(/Signature=[0-9a-f]+/, 'Signature=<signature>');
  const body = { ...request.body };
  if (typeof body.transactionId === 'string') body.transactionId = '<transactionId>';
  return { url: request.url.replace(/seqId=[^&]+/, 'seqId=<seqId>'), headers, body };
}

function sdkVersions(): Record<string, string> {
  const version = (pkg: string) => (JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version;
  return { 'wx-server-sdk': version('wx-server-sdk'), '@cloudbase/node-sdk': version('@cloudbase/node-sdk'), '@cloudbase/database': version('@cloudbase/database') };
}

const scenarios: Array<[string, (db: SdkDb, cloud: WxServerSdk) => Promise<unknown>]> = [
  ['collection.add', (db) => db.collection('customers').add({ data: { _id: 'w1', name: '张伟', score: 1.5, n: 2, at: new Date(0), tags: ['a'], nested: { x: null } } })],
  ['collection.add many', (db) => db.collection('customers').add({ data: [{ _id: 'w2', n: 1 }, { _id: 'w3', n: 2 }] })],
  ['collection.add serverDate', (db) => db.collection('events').add({ data: { _id: 'w4', at: db.serverDate({ offset: 1000 }) } })],
  [
    'where.get',
    (db) => {
      const _ = db.command;
      return db
        .collection('customers')
        .where({ name: /^张/i, n: _.gt(1).and(_.lte(3)), tags: _.in(['a', 'b']), phone: _.exists(false), 'nested.x': _.neq(2), score: _.nin([9]), at: _.lt(new Date(5)) })
        .orderBy('n', 'desc')
        .orderBy('name', 'asc')
        .skip(1)
        .limit(10)
        .field({ name: true, n: true })
        .get();
    },
  ],
  ['where.get or', (db) => db.collection('customers').where(db.command.or([{ n: 1 }, { n: db.command.gte(3) }])).get()],
  ['where.get RegExp', (db) => db.collection('customers').where({ name: db.RegExp({ regexp: '张', options: 'i' }) }).get()],
  ['collection.get', (db) => db.collection('customers').get()],
  ['doc.get', (db) => db.collection('customers').doc('w1').get()],
  ['doc.get field', (db) => db.collection('customers').doc('w1').field({ name: true }).get()],
  ['count', (db) => db.collection('customers').where({ n: db.command.gt(0) }).count()],
  [
    'doc.update operators',
    (db) => {
      const _ = db.command;
      return db.collection('customers').doc('w1').update({
        data: {
          n: _.inc(1), score: _.mul(2), name: _.set('李'), nested: { x: _.remove(), y: 1 }, tags: _.push(['b']), list: _.unshift([0]),
          more: _.addToSet('x'), less: _.pull('a'), lesser: _.pullAll(['a']), popped: _.pop(), shifted: _.shift(), hi: _.max(5), lo: _.min(1), at: db.serverDate(),
        },
      });
    },
  ],
  ['doc.update push each position', (db) => db.collection('customers').doc('w1').update({ data: { tags: db.command.push({ each: ['c'], position: 1, slice: 5, sort: 1 }) } })],
  ['doc.set', (db) => db.collection('customers').doc('w9').set({ data: { name: '新', n: 0 } })],
  ['where.update', (db) => db.collection('customers').where({ n: db.command.gte(0) }).update({ data: { flag: true } })],
  ['doc.remove', (db) => db.collection('customers').doc('w9').remove()],
  ['where.remove', (db) => db.collection('customers').where({ n: 99 }).remove()],
  [
    'aggregate',
    (db) => {
      const $ = db.command.aggregate;
      return db
        .collection('customers')
        .aggregate()
        .match({ n: db.command.gt(0) })
        .addFields({ double: $.multiply(['$n', 2]) })
        .lookup({ from: 'events', localField: '_id', foreignField: 'customerId', as: 'events' })
        .unwind({ path: '$tags', preserveNullAndEmptyArrays: true })
        .group({ _id: '$tags', n: $.sum(1), avg: $.avg('$n') })
        .sort({ n: -1 })
        .skip(0)
        .limit(5)
        .project({ _id: 0, tag: '$_id', n: 1 })
        .count('total')
        .end();
    },
  ],
  ['createCollection', (db) => db.createCollection('made_by_contract')],
  [
    'transaction commit',
    async (db) => {
      const t = await db.startTransaction();
      await t.collection('counters').doc('k').set({ data: { n: 1 } });
      await t.collection('counters').doc('k').get();
      await t.collection('counters').doc('k').update({ data: { n: db.command.inc(1) } });
      await t.collection('counters').add({ data: { _id: 'k2', n: 0 } });
      await t.collection('counters').doc('k2').remove();
      return t.commit();
    },
  ],
  [
    'transaction rollback',
    async (db) => {
      const t = await db.startTransaction();
      await t.collection('counters').doc('k').update({ data: { n: 5 } });
      return t.rollback();
    },
  ],
  ['runTransaction', (db) => db.runTransaction(async (t) => t.collection('counters').doc('k').get(), 1)],
  ['callFunction', async (_db, cloud) => cloud.callFunction({ name: 'whoami', data: { tag: 1, nested: { a: [1, 'x'] } } })],
];

test('the SDK sends exactly the requests recorded in wire-contract.json', async () => {
  let sink: Recorded[] = [];
  const emu = await startTestEmulator({ envId: 'contract-env', onAdminRequest: (r) => sink.push(normalize(r)) });
  const cloud = loadSdk();
  const calls: Record<string, Recorded[]> = {};
  try {
    for (const [name, run] of scenarios) {
      sink = [];
      await emu.withContext(() => run(sdkDb(cloud), cloud));
      // A nested call (callFunction -> whoami -> database) is recorded too.
      calls[name] = sink;
    }
  } finally {
    await emu.close();
  }
  const actual = { sdk: sdkVersions(), calls };
  const update = process.env.UPDATE_WIRE_CONTRACT === '1';
  if (update) {
    writeFileSync(FIXTURE, `${JSON.stringify(actual, null, 2)}\n`);
    return;
  }
  if (!existsSync(FIXTURE)) throw new Error(`${FIXTURE} is missing: run with UPDATE_WIRE_CONTRACT=1 to record it, review it, and commit it`);
  expect(actual).toEqual(JSON.parse(readFileSync(FIXTURE, 'utf8')));
});
