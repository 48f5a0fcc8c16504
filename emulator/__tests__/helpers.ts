import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator, type EmulatorOptions } from '../index';

export const FIXTURES = join(__dirname, 'fixtures');
export const SCHEMA_FILE = join(FIXTURES, 'database.json');
export const FUNCTIONS_DIR = join(FIXTURES, 'functions');

export function tempDir(prefix = 'emulator-test-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** An emulator on a random port over a fresh temporary store, timers off unless asked. */
export async function startTestEmulator(extra: Partial<EmulatorOptions> = {}): Promise<Emulator & { dataDir: string }> {
  const data = extra.dataDir ? undefined : tempDir();
  const emulator = await startEmulator({
    dataDir: data?.dir ?? (extra.dataDir as string),
    schemaFile: SCHEMA_FILE,
    functionsDir: FUNCTIONS_DIR,
    timers: false,
    ...extra,
  });
  return {
    ...emulator,
    dataDir: data?.dir ?? (extra.dataDir as string),
    async close() {
      await emulator.close();
      data?.remove();
    },
  };
}

export type WxServerSdk = typeof import('wx-server-sdk');

/** The real wx-server-sdk, initialised for "the current environment" as cloud functions do. */
export function loadSdk(): WxServerSdk {
  const cloud = require('wx-server-sdk') as WxServerSdk;
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
  return cloud;
}

/*
 * A promise-only view of the SDK's database API. wx-server-sdk's own typings declare callback
 * overloads (`Promise<T> | void`) and leave transactions untyped; tests use the API as
 * application code does, through this view.
 */
export type Row = { _id: string } & Record<string, unknown>;

export interface QueryCommand {
  and(other: QueryCommand): QueryCommand;
  or(other: QueryCommand): QueryCommand;
}

export interface DbCommand {
  eq(v: unknown): QueryCommand;
  neq(v: unknown): QueryCommand;
  gt(v: unknown): QueryCommand;
  gte(v: unknown): QueryCommand;
  lt(v: unknown): QueryCommand;
  lte(v: unknown): QueryCommand;
  in(v: unknown[]): QueryCommand;
  nin(v: unknown[]): QueryCommand;
  exists(v: boolean): QueryCommand;
  all(v: unknown[]): QueryCommand;
  size(n: number): QueryCommand;
  or(conditions: object[]): object;
  and(conditions: object[]): object;
  set(v: unknown): object;
  remove(): object;
  inc(n: number): object;
  mul(n: number): object;
  max(n: number): object;
  min(n: number): object;
  push(v: unknown): object;
  unshift(v: unknown[]): object;
  pull(v: unknown): object;
  pullAll(v: unknown[]): object;
  addToSet(v: unknown): object;
  pop(): object;
  shift(): object;
  aggregate: {
    sum(v: unknown): object;
    avg(v: unknown): object;
    multiply(v: unknown[]): object;
    size(v: unknown): object;
  };
}

export interface SdkQuery<T> {
  where(condition: object): SdkQuery<T>;
  orderBy(field: string, direction: 'asc' | 'desc'): SdkQuery<T>;
  skip(n: number): SdkQuery<T>;
  limit(n: number): SdkQuery<T>;
  field(projection: object): SdkQuery<T>;
  get(): Promise<{ data: T[] }>;
  count(): Promise<{ total: number }>;
  update(options: { data: object }): Promise<{ stats: { updated: number } }>;
  remove(): Promise<{ stats: { removed: number } }>;
}

export interface SdkDoc<T> {
  field(projection: object): SdkDoc<T>;
  get(): Promise<{ data: T }>;
  set(options: { data: object }): Promise<{ _id: string; stats: { updated: number; created: number } }>;
  update(options: { data: object }): Promise<{ stats: { updated: number } }>;
  remove(): Promise<{ stats: { removed: number } }>;
}

export interface SdkAggregate {
  match(v: object): SdkAggregate;
  group(v: object): SdkAggregate;
  sort(v: object): SdkAggregate;
  skip(n: number): SdkAggregate;
  limit(n: number): SdkAggregate;
  project(v: object): SdkAggregate;
  unwind(v: string | object): SdkAggregate;
  lookup(v: object): SdkAggregate;
  addFields(v: object): SdkAggregate;
  count(field: string): SdkAggregate;
  facet(v: object): SdkAggregate;
  end(): Promise<{ list: Array<Record<string, unknown>> }>;
}

export interface SdkCollection<T> extends SdkQuery<T> {
  doc(id: string): SdkDoc<T>;
  add(options: { data: object | object[] }): Promise<{ _id: string; _ids?: string[] }>;
  aggregate(): SdkAggregate;
}

export interface SdkTransaction {
  collection<T = Row>(name: string): SdkCollection<T>;
  commit(): Promise<unknown>;
  rollback(reason?: unknown): Promise<unknown>;
}

export interface SdkDb {
  command: DbCommand;
  serverDate(options?: { offset: number }): object;
  RegExp(options: { regexp: string; options?: string }): object;
  collection<T = Row>(name: string): SdkCollection<T>;
  createCollection(name: string): Promise<unknown>;
  startTransaction(): Promise<SdkTransaction>;
  runTransaction<R>(run: (t: SdkTransaction) => Promise<R>, retries?: number): Promise<R>;
}

export function sdkDb(cloud: WxServerSdk): SdkDb {
  return cloud.database() as unknown as SdkDb;
}
