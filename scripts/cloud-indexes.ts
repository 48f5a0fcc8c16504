/**
 * The collections and indexes of the cloud database, from cloudfunctions/database.json (the file
 * the emulator loads), so the cloud is set up from the same list the local stack runs on.
 *
 *   tsx scripts/cloud-indexes.ts            every collection and index, readable
 *   tsx scripts/cloud-indexes.ts --json     the request bodies of WeChat's database HTTP APIs
 *                                           (databasecollectionadd, updateindex); needs --env or CLOUD_ENV_ID
 *   tsx scripts/cloud-indexes.ts --curl     a shell script that sends them with curl; run it with
 *                                           CLOUD_ENV_ID and WX_ACCESS_TOKEN set
 *
 * The CloudBase CLI has no command for collections or indexes (`tcb db` manages data models), so
 * the cloud is reached through WeChat's server API, https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-http-api/database/updateIndex.html,
 * with the mini-program's access token. Creating a collection or an index that exists fails with
 * an error reply and changes nothing, so the script can be run again after adding an index.
 */
import { join, resolve } from 'node:path';
import { loadSchemaFile, type CloudIndex, type CollectionSchema, type DbSchema } from '../emulator/db/schema';

const root = resolve(__dirname, '..');
export const SCHEMA_FILE = join(root, 'cloudfunctions/database.json');
const API_BASE = 'https://api.weixin.qq.com';

export type SortKey = [field: string, direction: 1 | -1];

/**
 * The index that serves a query with equality on `equality` sorted by `sort`: its keys are the
 * equality fields (in any order), then the sort keys in order, all in their direction or all
 * reversed (an index is read either way).
 */
export function indexFor(collection: CollectionSchema, equality: string[], sort: SortKey[]): CloudIndex | undefined {
  return collection.cloudIndexes.find((index) => {
    const head = index.keys.slice(0, equality.length).map((k) => k.field);
    if (head.length !== equality.length || !equality.every((f) => head.includes(f))) return false;
    const tail = index.keys.slice(equality.length, equality.length + sort.length);
    if (tail.length !== sort.length || tail.some((k, i) => k.field !== sort[i][0])) return false;
    const same = tail.every((k, i) => k.direction === sort[i][1]);
    const reversed = tail.every((k, i) => k.direction === -sort[i][1]);
    return same || reversed;
  });
}

const describeKeys = (index: CloudIndex) => index.keys.map((k) => `${k.field} ${k.direction === 1 ? 'asc' : 'desc'}`).join(', ');

export function describeSchema(schema: DbSchema): string {
  const lines: string[] = [];
  for (const [name, c] of Object.entries(schema.collections)) {
    lines.push(`${name}${c.cloudIndexes.length ? '' : '  (only the _id index)'}`);
    for (const index of c.cloudIndexes) {
      lines.push(`  ${index.name}: ${describeKeys(index)}${index.unique ? ' (unique)' : ''}${index.for ? `  -- ${index.for}` : ''}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export interface ApiCall {
  api: 'databasecollectionadd' | 'updateindex';
  body: Record<string, unknown>;
}

/**
 * One collection add per collection, then one updateindex per index: an index that exists makes
 * its own call fail, not those of the indexes added since.
 */
export function apiCalls(schema: DbSchema, env: string): ApiCall[] {
  const entries = Object.entries(schema.collections);
  return [
    ...entries.map(([name]): ApiCall => ({ api: 'databasecollectionadd', body: { env, collection_name: name } })),
    ...entries.flatMap(([name, c]) =>
      c.cloudIndexes.map((i): ApiCall => ({
        api: 'updateindex',
        body: {
          env,
          collection_name: name,
          create_indexes: [{ name: i.name, unique: i.unique, keys: i.keys.map((k) => ({ name: k.field, direction: String(k.direction) })) }],
          drop_indexes: [],
        },
      })),
    ),
  ];
}

export function curlScript(schema: DbSchema): string {
  const out = [
    '#!/bin/sh',
    '# Creates the collections and indexes of cloudfunctions/database.json (scripts/cloud-indexes.ts --curl).',
    '# WX_ACCESS_TOKEN: GET https://api.weixin.qq.com/cgi-bin/token?grant_type=client_credential&appid=<appid>&secret=<secret>',
    ': "${CLOUD_ENV_ID:?set CLOUD_ENV_ID to the CloudBase environment id}"',
    ': "${WX_ACCESS_TOKEN:?set WX_ACCESS_TOKEN to the mini-program access token}"',
    `api="\${WX_API_BASE:-${API_BASE}}/tcb"`,
  ];
  // The environment id is filled in by the shell, so the printed script holds no secret and no id.
  for (const call of apiCalls(schema, '__ENV__')) {
    const body = JSON.stringify(call.body).replace('"__ENV__"', '"${CLOUD_ENV_ID}"');
    const [index] = (call.body.create_indexes as { name: string }[] | undefined) ?? [];
    out.push(`echo "${String(call.body.collection_name)}${index ? ` index ${index.name}` : ''}:"`);
    out.push(`curl -sS -X POST "\${api}/${call.api}?access_token=\${WX_ACCESS_TOKEN}" -H 'content-type: application/json' --data-binary @- <<JSON`);
    out.push(body, 'JSON', 'echo');
  }
  return `${out.join('\n')}\n`;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const schema = loadSchemaFile(SCHEMA_FILE);
  if (args.includes('--curl')) {
    process.stdout.write(curlScript(schema));
  } else if (args.includes('--json')) {
    const env = args.includes('--env') ? args[args.indexOf('--env') + 1] : process.env.CLOUD_ENV_ID;
    if (!env) {
      process.stderr.write('--json needs the CloudBase environment id: --env <id> or CLOUD_ENV_ID\n');
      process.exit(1);
    }
    process.stdout.write(`${JSON.stringify(apiCalls(schema, env).map((c) => ({ url: `${API_BASE}/tcb/${c.api}?access_token=ACCESS_TOKEN`, body: c.body })), null, 2)}\n`);
  } else {
    process.stdout.write(describeSchema(schema));
  }
}
