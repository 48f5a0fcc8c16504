/**
 * The seeded demo as a consultant first sees it: zhangwei's leads (leads.list, default sort)
 * open with customers whose first reason is what they actually did, as their timeline shows.
 */
import type { LeadSummary, Page } from '../../types/api';
import type { EventDoc, IntentGrade } from '../../types/model';
import { modelById } from '../../cloudfunctions/_core/catalog';
import { chinaDay } from '../../cloudfunctions/_core/events/day-buckets';
import { DEFAULT_MODEL, type EngagementRule, type PropertyCondition } from '../../cloudfunctions/_core/scoring/model';
import type { DerivedCustomer } from '../../cloudfunctions/_core/scoring/ingest';
import { ok, startTestStack, TEST_NOW, type TestStack } from '../support/stack';

let stack: TestStack;
let top: LeadSummary[];
const TOP = 12;

const find = async <T>(collection: string, query: object): Promise<T[]> => (await Promise.resolve(stack.emulator.db.find(collection, query, { limit: 100000 }))) as T[];

beforeAll(async () => {
  stack = await startTestStack();
  const token = await stack.signIn('zhangwei');
  top = ok(await stack.http<Page<LeadSummary>>('leads', { action: 'list', params: { limit: TOP } }, token)).items;
});
afterAll(() => stack.destroy());

/** A reason template as a pattern: 近{days}天浏览SUV内容{count}次[，累计停留{dwell}]. */
function patternOf(template: string): RegExp {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\（）]/g, (c) => `\\${c}`);
  const part = (text: string) =>
    text
      .split(/(\{\w+\})/)
      .map((t) => (t === '{days}' || t === '{count}' ? `(?<${t.slice(1, -1)}>\\d+)` : t === '{models}' || t === '{dwell}' ? `(?<${t.slice(1, -1)}>.+?)` : escape(t)))
      .join('');
  const body = template
    .split(/(\[[^\]]*\])/)
    .map((p) => (p.startsWith('[') ? `(?:${part(p.slice(1, -1))})?` : part(p)))
    .join('');
  return new RegExp(`^${body}$`);
}

const holds = (c: PropertyCondition, v: unknown) =>
  (c.equals === undefined || v === c.equals) &&
  (c.in === undefined || c.in.includes(v as never)) &&
  (c.gte === undefined || (typeof v === 'number' && v >= c.gte)) &&
  (c.lte === undefined || (typeof v === 'number' && v <= c.lte));

/** The customer's events a rule counts, restated from its filter. */
function matching(rule: EngagementRule, events: readonly EventDoc[]): EventDoc[] {
  const f = rule.filter;
  return events.filter((e) => {
    if (!f.types.includes(e.type) || (f.sources && !f.sources.includes(e.source))) return false;
    if (f.modelLines) {
      const line = typeof e.properties.modelId === 'string' ? modelById(e.properties.modelId)?.line : undefined;
      if (!line || !f.modelLines.includes(line)) return false;
    }
    return (f.where ?? []).every((c) => holds(c, e.properties[c.key]));
  });
}

const ENGAGEMENT = DEFAULT_MODEL.engagement.groups.flatMap((g) => g.rules).filter((r) => r.points > 0).map((rule) => ({ rule, pattern: patternOf(rule.reason) }));
const GRADE_LEVEL: Record<IntentGrade, number> = { H: 0, A: 1, B: 2, C: 3 };

test('the top leads come first for what they did, and each such reason matches their timeline', async () => {
  expect(top).toHaveLength(TOP);
  const today = chinaDay(TEST_NOW);
  const problems: string[] = [];
  let engagementFirst = 0;
  for (const lead of top) {
    const reason = lead.reason ?? '';
    const hit = ENGAGEMENT.map(({ rule, pattern }) => ({ rule, m: pattern.exec(reason) })).find((x) => x.m);
    if (!hit?.m) continue;
    engagementFirst++;
    const days = Number(hit.m.groups?.days ?? hit.rule.windowDays);
    const events = (await find<EventDoc>('events', { customerId: lead.id })).filter((e) => e.timestamp <= TEST_NOW && today - chinaDay(e.timestamp) < days);
    const counted = matching(hit.rule, events);
    const count = hit.m.groups?.count ? Number(hit.m.groups.count) : 1;
    if (counted.length < count) problems.push(`${lead.id} ${lead.name}: "${reason}" but ${counted.length} matching events in ${days} days`);
    for (const name of hit.m.groups?.models?.split('、') ?? []) {
      if (!counted.some((e) => typeof e.properties.modelId === 'string' && modelById(e.properties.modelId)?.name === name)) problems.push(`${lead.id}: "${reason}" names ${name}, no such event`);
    }
    const dwell = hit.m.groups?.dwell;
    if (dwell?.endsWith('分钟') && !dwell.includes('小时')) {
      const seconds = counted.reduce((s, e) => s + (typeof e.properties.dwellSeconds === 'number' ? e.properties.dwellSeconds : 0), 0);
      if (Math.abs(seconds / 60 - Number(dwell.slice(0, -2))) > 1) problems.push(`${lead.id}: "${reason}" but ${Math.round(seconds / 60)} minutes of dwell`);
    }
  }
  expect(problems).toEqual([]);
  // Most of the top of the list is there for behaviour, not for attributes alone.
  expect(engagementFirst).toBeGreaterThanOrEqual(TOP * 0.75);
});

test('a consultant grade at the top of the list agrees with the score within one level', async () => {
  const stored = new Map((await find<DerivedCustomer>('customers', { _id: { $in: top.map((l) => l.id) } })).map((c) => [c._id, c]));
  const disagreeing = top.filter((l) => {
    const info = stored.get(l.id)?.gradeInfo;
    const mine = info?.consultant?.grade;
    const suggested = info?.suggested?.grade;
    return l.gradeSource === 'consultant' && mine && Math.abs(GRADE_LEVEL[mine] - (suggested ? GRADE_LEVEL[suggested] : 4)) > 1;
  });
  expect(disagreeing.map((l) => `${l.id} ${l.grade} score ${l.score}`)).toEqual([]);
  // Higher grades first, and within a grade the higher score.
  const keys = top.map((l) => [l.grade ? GRADE_LEVEL[l.grade] : 4, -(l.score ?? 0)] as const);
  expect(keys.every((k, i) => i === 0 || k[0] > keys[i - 1][0] || (k[0] === keys[i - 1][0] && k[1] >= keys[i - 1][1]))).toBe(true);
});
