/**
 * The cloud database is set up from cloudfunctions/database.json, the file the emulator runs on:
 * every sorted query of the functions has an index that serves its equality fields and its sort,
 * and the script that creates them sends WeChat's database API what the file says.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { loadSchemaFile } from '../../emulator/db/schema';
import { apiCalls, curlScript, describeSchema, indexFor, SCHEMA_FILE, type SortKey } from '../cloud-indexes';

const root = resolve(__dirname, '../..');
const schema = loadSchemaFile(SCHEMA_FILE);
const collection = (name: string) => {
  const c = schema.collections[name];
  if (!c) throw new Error(`no collection ${name} in database.json`);
  return c;
};

describe('the sorted queries of the functions', () => {
  const desc = (...fields: string[]): SortKey[] => fields.map((f) => [f, -1]);
  // [collection, equality fields, sort, where the query is]
  const queries: [string, string[], SortKey[], string][] = [
    ['customers', ['storeId', 'ownerId'], desc('rankKey', '_id'), 'leadsPage: a consultant or the pool, best first'],
    ['customers', ['storeId', 'ownerId'], desc('lastActivityAt', '_id'), 'leadsPage: a consultant or the pool, latest first'],
    ['customers', ['storeId'], desc('rankKey', '_id'), 'leadsPage: the whole store, best first'],
    ['customers', ['storeId'], desc('lastActivityAt', '_id'), 'leadsPage: the whole store, latest first'],
    ['customers', ['storeId'], [['_id', 1]], 'pipeline customerPages: a store rescored page by page'],
    ['events', ['customerId'], desc('timestamp', '_id'), 'timelinePage'],
    ['events', ['pending'], [['receivedAt', 1]], 'pendingBefore (repair-pending timer)'],
    ['followUps', ['customerId'], desc('at', '_id'), 'customers.followUps'],
    ['merges', ['storeId'], desc('at', '_id'), 'mergeRepo.page'],
    ['activities', ['storeId'], [['startAt', 1]], 'activityRepo.upcoming for a store'],
    ['oemOutbox', ['status'], [['nextAt', 1]], 'outboxRepo.dueCustomers (oemSync upload)'],
    ['oemOutbox', ['customerId'], desc('seq'), 'outboxRepo.newestOf (the profile\'s sync line)'],
    ['oemOutbox', ['storeId', 'status'], desc('createdAt', '_id'), 'outboxRepo.deadPage (oemSync.deadLetters)'],
    ['oemInbox', [], [['receivedAt', 1], ['_id', 1]], 'inboxRepo.oldest (webhook changes, oemSync ingest)'],
    ['consents', ['customerId'], desc('at', '_id'), 'consentRepo.history'],
    ['registrations', ['customerId'], desc('at'), 'registrationRepo.ofCustomer (activities.mine)'],
    ['inviteVisits', ['closedAt'], [['lastBeatAt', 1]], 'visitRepo.silent (activities close-visits timer)'],
  ];
  it.each(queries)('%s where %j sorted by %j has an index (%s)', (name, equality, sort) => {
    expect(indexFor(collection(name), equality, sort)).toBeDefined();
  });

  it('finds no index for a sort nothing declares, or one in mixed directions', () => {
    expect(indexFor(collection('events'), ['customerId'], desc('receivedAt'))).toBeUndefined();
    expect(indexFor(collection('customers'), ['storeId'], [['rankKey', -1], ['_id', 1]])).toBeUndefined();
    // Read backwards, an index serves the reversed sort too.
    expect(indexFor(collection('events'), ['customerId'], [['timestamp', 1], ['_id', 1]])?.name).toBe('timeline');
  });

  it('covers every orderBy on a field other than _id written in the functions', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const d of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, d.name);
        if (d.isDirectory()) {
          if (d.name !== '__tests__') walk(path);
        } else if (d.name.endsWith('.ts') && !d.name.endsWith('.test.ts')) files.push(path);
      }
    };
    walk(join(root, 'cloudfunctions'));
    const found: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const chain of text.matchAll(/((?:\s*\.orderBy\(\s*'[^']+'\s*,\s*'(?:asc|desc)'\s*\))+)/g)) {
        const sort = [...chain[1].matchAll(/\.orderBy\(\s*'([^']+)'\s*,\s*'(asc|desc)'\s*\)/g)].map((m): SortKey => [m[1], m[2] === 'asc' ? 1 : -1]);
        if (sort.every(([f]) => f === '_id')) continue;
        // The collection is the one named last before the chain: `events()` or `Collections.events`.
        const before = text.slice(Math.max(0, (chain.index ?? 0) - 800), chain.index);
        const names = [...before.matchAll(/\b(\w+)\(\)\s*\.where|Collections\.(\w+)\)/g)].map((m) => m[1] ?? m[2]);
        const name = names[names.length - 1];
        const where = `${file.slice(root.length + 1)}: ${name} sorted by ${JSON.stringify(sort)}`;
        found.push(where);
        const c = schema.collections[name ?? ''];
        // Equality fields are not parsed from code: the index must at least hold the sort as a run of its keys.
        const served = c?.cloudIndexes.some((index) =>
          index.keys.some((_, start) => {
            const run = index.keys.slice(start, start + sort.length);
            return run.length === sort.length && run.every((k, i) => k.field === sort[i][0]) && (run.every((k, i) => k.direction === sort[i][1]) || run.every((k, i) => k.direction === -sort[i][1]));
          }),
        );
        if (!served) throw new Error(`no index in cloudfunctions/database.json serves ${where}`);
      }
    }
    // The scan must have seen the literal sorts listed above (leadsPage sorts by a variable field).
    expect(found.length).toBeGreaterThanOrEqual(5);
    expect(found.join('\n')).toMatch(/events sorted by \[\["timestamp",-1\],\["_id",-1\]\]/);
  });
});

describe('the emulator', () => {
  it('keeps the equality hash indexes it had: each single field and the first field of each compound index', () => {
    expect(new Set(collection('customers').indexes)).toEqual(
      new Set(['storeId', 'ownerId', 'phoneTail', 'tags.tagId', 'tags.path', 'vehiclesOfInterest.modelId', 'sourceChannel', 'birthday']),
    );
    expect(new Set(collection('events').indexes)).toEqual(new Set(['customerId', 'pending']));
    expect(collection('followUps').indexes).toEqual(['customerId']);
    expect(collection('merges').indexes).toEqual(['storeId']);
  });
});

describe('scripts/cloud-indexes.ts', () => {
  it('lists every collection and index with its direction', () => {
    const text = describeSchema(schema);
    for (const name of Object.keys(schema.collections)) expect(text).toMatch(new RegExp(`^${name}\\b`, 'm'));
    expect(text).toContain('timeline: customerId asc, timestamp desc, _id desc');
    expect(text).toContain('leads_owner_rank: storeId asc, ownerId asc, rankKey desc, _id desc');
  });

  it("sends WeChat's database API every collection and index of the file, through curl", async () => {
    const received: { path: string; body: Record<string, unknown> }[] = [];
    const server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: JSON.parse(raw) as Record<string, unknown> });
        res.setHeader('content-type', 'application/json');
        res.end('{"errcode":0,"errmsg":"ok"}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const run = (env: Record<string, string>) =>
        new Promise<{ code: number | null; output: string }>((done) => {
          const sh = spawn('sh', ['-s'], { env: { PATH: process.env.PATH ?? '', ...env } });
          let output = '';
          sh.stdout.on('data', (d: Buffer) => (output += d.toString()));
          sh.stderr.on('data', (d: Buffer) => (output += d.toString()));
          sh.on('close', (code) => done({ code, output }));
          sh.stdin.end(curlScript(schema));
        });

      const refused = await run({ CLOUD_ENV_ID: 'sidekick-prod-1a2b', WX_API_BASE: base });
      expect(refused.code).not.toBe(0);
      expect(refused.output).toContain('WX_ACCESS_TOKEN');
      expect(received).toHaveLength(0);

      const { code } = await run({ CLOUD_ENV_ID: 'sidekick-prod-1a2b', WX_ACCESS_TOKEN: 'token-1', WX_API_BASE: base });
      expect(code).toBe(0);
      const expected = apiCalls(schema, 'sidekick-prod-1a2b');
      expect(received.map((r) => r.body)).toEqual(expected.map((c) => c.body));
      expect(received.map((r) => r.path)).toEqual(expected.map((c) => `/tcb/${c.api}?access_token=token-1`));
      expect(received).toContainEqual({
        path: '/tcb/updateindex?access_token=token-1',
        body: {
          env: 'sidekick-prod-1a2b',
          collection_name: 'events',
          create_indexes: [{ name: 'timeline', unique: false, keys: [{ name: 'customerId', direction: '1' }, { name: 'timestamp', direction: '-1' }, { name: '_id', direction: '-1' }] }],
          drop_indexes: [],
        },
      });
      const collections = Object.keys(schema.collections);
      expect(received.filter((r) => r.path.startsWith('/tcb/databasecollectionadd')).map((r) => r.body.collection_name)).toEqual(collections);
    } finally {
      server.close();
    }
  });
});
