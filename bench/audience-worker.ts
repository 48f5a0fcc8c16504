/**
 * Worker of the audience benchmark: generates one range of demo customers (the seed's own
 * generator), keeps each customer's audience features event by event as the pipeline would
 * (`applyEvent` over their real events), and sends back compact columns: the profile fields
 * audiences read, the features, and every event integer-coded for the SQL baseline.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Collections, type CustomerDoc, type EventDoc } from '../types/model';
import { CHANNELS } from '../cloudfunctions/_core/catalog/channels';
import { MODELS } from '../cloudfunctions/_core/catalog/models';
import { TAGS } from '../cloudfunctions/_core/catalog/tags';
import { FORM_NAMES, TOUCHPOINT_TYPES } from '../cloudfunctions/_core/catalog/touchpoints';
import { chinaDay } from '../cloudfunctions/_core/events/day-buckets';
import { applyEvent, emptyFeatures } from '../cloudfunctions/_core/audiences/features';
import { counterSpec } from '../cloudfunctions/_core/audiences/counters';
import type { EventMatch } from '../types/audience';
import { PAST_ACTIVITIES, SURVEYS } from '../seed/content';
import { STORES } from '../seed/directory';
import { generateCustomers } from '../seed/generate';

export interface AudienceWorkerSetup {
  seed: number;
  now: number;
  /** The counter set's matches (`specDocOf(spec).matches`). */
  matches: EventMatch[];
}

export interface AudienceWorkerTask {
  id: number;
  from: number;
  to: number;
  cursors: [string, number][];
}

/** One range of customers as columns; row k is customer `from + k`. */
export interface AudienceChunk {
  id: number;
  from: number;
  ids: string;
  stage: Uint8Array;
  grade: Uint8Array;
  score: Float64Array;
  store: Uint8Array;
  /** Tags of row k at `tagAt[k]..tagAt[k + 1]`: catalog index and expiry (NaN: none). */
  tagAt: Uint32Array;
  tagCode: Uint16Array;
  tagExpires: Float64Array;
  interestAt: Uint32Array;
  interest: Uint8Array;
  ownedAt: Uint32Array;
  owned: Uint8Array;
  /** Features of row k at `featAt[k]..featAt[k + 1]`: its flat `d` array. */
  featAt: Uint32Array;
  feat: Int32Array;
  /**
   * Events: the customer's row in this chunk (a chunk may hold more or fewer customers than
   * its range of generator positions: duplicates are generated beside the customer they are
   * merged into, so the global row is the chunk's offset in the population plus this), codes
   * (see `CODES`), China day.
   */
  evCustomer: Int32Array;
  evType: Uint8Array;
  evSource: Uint8Array;
  evModel: Uint8Array;
  evForm: Uint8Array;
  evFormName: Uint8Array;
  evDay: Int32Array;
}

export type AudienceWorkerReply = { ok: true; chunk: AudienceChunk } | { ok: false; id: number; error: string };

/** The integer codes of the events table; `NONE` for an absent value. */
export const NONE = 255;
export const CODES = {
  type: TOUCHPOINT_TYPES as readonly string[],
  source: CHANNELS.map((c) => c.id),
  model: MODELS.map((m) => m.id),
  form: Object.keys(FORM_NAMES),
  formName: [...Object.values(SURVEYS), ...PAST_ACTIVITIES],
  tag: TAGS.map((t) => t.id),
  store: STORES.map((s) => s.doc._id),
  stage: ['lead', 'prospect', 'owner'],
  grade: ['none', 'H', 'A', 'B', 'C'],
};

const indexOf = (list: readonly string[]) => new Map(list.map((x, i) => [x, i]));
const TYPE = indexOf(CODES.type);
const SOURCE = indexOf(CODES.source);
const MODEL = indexOf(CODES.model);
const FORM = indexOf(CODES.form);
const FORM_NAME = indexOf(CODES.formName);
const TAG = indexOf(CODES.tag);
const STORE = indexOf(CODES.store);
const STAGE = indexOf(CODES.stage);
const GRADE = indexOf(CODES.grade);

function code(map: Map<string, number>, v: unknown, what: string): number {
  if (v === null || v === undefined) return NONE;
  const c = map.get(String(v));
  if (c === undefined) throw new Error(`audience bench: no code for ${what} ${String(v)}`);
  return c;
}

class Growing {
  private buf: Int32Array = new Int32Array(1 << 16);
  length = 0;
  push(x: number): void {
    if (this.length === this.buf.length) {
      const next = new Int32Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = x;
  }
  take(): Int32Array {
    return this.buf.slice(0, this.length);
  }
}

type Generated = CustomerDoc & { mergedInto?: string; mergedIds?: string[] };

/**
 * The range as the store holds it: a record merged away (`mergedInto`) is no customer of its
 * own and audiences skip it, as the functions' index does; its events count for the survivor
 * (`[_id, ...mergedIds]`, as the backfill reads them).
 */
function historiesOf(generated: Generated[], eventsOf: Map<string, EventDoc[]>): { customers: Generated[]; histories: EventDoc[][] } {
  const customers = generated.filter((c) => !c.mergedInto);
  const histories = customers.map((c) => {
    const ids = [c._id, ...(c.mergedIds ?? [])];
    const all = ids.flatMap((id) => eventsOf.get(id) ?? []);
    return ids.length > 1 ? all.sort((x, y) => x.timestamp - y.timestamp) : all;
  });
  return { customers, histories };
}

function encode(task: AudienceWorkerTask, generated: Generated[], eventsOf: Map<string, EventDoc[]>, setup: AudienceWorkerSetup): AudienceChunk {
  const spec = counterSpec(setup.matches);
  const { customers, histories } = historiesOf(generated, eventsOf);
  const k = customers.length;
  const tagAt = new Uint32Array(k + 1);
  const interestAt = new Uint32Array(k + 1);
  const ownedAt = new Uint32Array(k + 1);
  const featAt = new Uint32Array(k + 1);
  const tags: number[] = [];
  const expires: number[] = [];
  const interest: number[] = [];
  const owned: number[] = [];
  const feat = new Growing();
  const stage = new Uint8Array(k);
  const grade = new Uint8Array(k);
  const score = new Float64Array(k);
  const store = new Uint8Array(k);
  let events = 0;
  for (const h of histories) events += h.length;
  const evCustomer = new Int32Array(events);
  const evType = new Uint8Array(events);
  const evSource = new Uint8Array(events);
  const evModel = new Uint8Array(events);
  const evForm = new Uint8Array(events);
  const evFormName = new Uint8Array(events);
  const evDay = new Int32Array(events);
  let e = 0;
  customers.forEach((c, row) => {
    const doc = c as CustomerDoc & { score?: { total: number } };
    stage[row] = code(STAGE, c.stage, 'stage');
    grade[row] = code(GRADE, c.grade ?? 'none', 'grade');
    score[row] = doc.score?.total ?? Number.NaN;
    store[row] = code(STORE, c.storeId, 'store');
    for (const t of c.tags) {
      tags.push(code(TAG, t.tagId, 'tag'));
      expires.push(t.expiresAt ?? Number.NaN);
    }
    tagAt[row + 1] = tags.length;
    for (const v of c.vehiclesOfInterest) interest.push(code(MODEL, v.modelId, 'model'));
    interestAt[row + 1] = interest.length;
    for (const v of c.vehiclesOwned) owned.push(code(MODEL, v.modelId, 'model'));
    ownedAt[row + 1] = owned.length;
    // What the pipeline keeps: the features counted event by event.
    const f = emptyFeatures(spec);
    for (const ev of histories[row]) {
      applyEvent(f, ev, spec);
      evCustomer[e] = row;
      evType[e] = code(TYPE, ev.type, 'type');
      evSource[e] = code(SOURCE, ev.source, 'source');
      evModel[e] = code(MODEL, ev.properties.modelId, 'model');
      evForm[e] = code(FORM, ev.properties.form, 'form');
      evFormName[e] = code(FORM_NAME, ev.properties.formName, 'formName');
      evDay[e++] = chinaDay(ev.timestamp);
    }
    for (const x of f.d) feat.push(x);
    featAt[row + 1] = feat.length;
  });
  return {
    id: task.id,
    from: task.from,
    ids: customers.map((c) => c._id).join('\n'),
    stage,
    grade,
    score,
    store,
    tagAt,
    tagCode: Uint16Array.from(tags),
    tagExpires: Float64Array.from(expires),
    interestAt,
    interest: Uint8Array.from(interest),
    ownedAt,
    owned: Uint8Array.from(owned),
    featAt,
    feat: feat.take(),
    evCustomer,
    evType,
    evSource,
    evModel,
    evForm,
    evFormName,
    evDay,
  };
}

export function transferables(c: AudienceChunk): ArrayBuffer[] {
  return Object.values(c)
    .filter((v): v is ArrayBufferView => ArrayBuffer.isView(v))
    .map((v) => v.buffer as ArrayBuffer);
}

const setup = workerData as AudienceWorkerSetup | undefined;
const port = parentPort;
if (port && setup) {
  port.on('message', (task: AudienceWorkerTask) => {
    const customers: Generated[] = [];
    const eventsOf = new Map<string, EventDoc[]>();
    const sink = {
      insertMany(collection: string, docs: object[]) {
        if (collection === Collections.customers) for (const d of docs) customers.push(d as Generated);
        else if (collection === Collections.events) {
          for (const d of docs as EventDoc[]) {
            const list = eventsOf.get(d.customerId);
            if (list) list.push(d);
            else eventsOf.set(d.customerId, [d]);
          }
        }
      },
    };
    generateCustomers({ seed: setup.seed, now: setup.now, from: task.from, to: task.to, ownerCursors: new Map(task.cursors) }, sink).then(
      () => {
        const chunk = encode(task, customers, eventsOf, setup);
        const reply: AudienceWorkerReply = { ok: true, chunk };
        port.postMessage(reply, transferables(chunk));
      },
      (err: unknown) => {
        const reply: AudienceWorkerReply = { ok: false, id: task.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
        port.postMessage(reply);
      },
    );
  });
}
