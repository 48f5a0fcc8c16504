/**
 * The OEM simulator's own data: people it knows, campaigns it runs, and the changes it feeds
 * the dealer. Deterministic (a seeded PRNG), so a test run and its fault-free twin see the
 * same feed. Changes are plain objects in the wire shape of docs/oem-api.md.
 */
import type { OemChangeInput } from '../../types/schemas';
import { mulberry32 as prng } from '../../cloudfunctions/_core/scoring/synthetic';

/** The seeded PRNG (mulberry32) of the synthetic populations: the same draws on every run. */
export { prng };

export interface Campaign {
  id: string;
  name: string;
  channel: string;
  /** Models the campaign advertises. */
  models: readonly string[];
}

export const CAMPAIGNS: readonly Campaign[] = [
  { id: 'cmp-spring-suv', name: '春季SUV试驾季', channel: 'autohome', models: ['lanyue', 'tuyao', 'lingfeng'] },
  { id: 'cmp-nev-live', name: '新能源直播节', channel: 'douyin_live', models: ['qinglan_ev', 'lanying_ev', 'lanyue_erev'] },
  { id: 'cmp-app-booking', name: '澜山App预约试驾', channel: 'app', models: ['lanyue', 'yunyi', 'qinglan_ev'] },
  { id: 'cmp-dcd-price', name: '懂车帝询底价', channel: 'dongchedi', models: ['tuyao', 'ruichi', 'yunyi_erev'] },
  { id: 'cmp-mpv-family', name: '御宸家庭出行季', channel: 'yiche', models: ['yuchen'] },
];

/** Tags the OEM's CDP knows about people (ids of the shared taxonomy). */
const OEM_TAGS = ['basic-age-26_30', 'basic-age-31_35', 'basic-age-36_45', 'power-level-high', 'power-level-medium', 'power-assets-house', 'intent-budget-15_20', 'intent-budget-20_30', 'basic-family-kids'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '高', '罗'];
const GIVEN = ['子涵', '浩然', '欣怡', '宇轩', '梓萱', '俊杰', '诗琪', '博文', '雨桐', '明哲', '佳琪', '思远', '晨阳', '一诺', '嘉怡', '志强', '丽娜', '海峰', '婉清', '天宇'];
const CITIES = ['上海', '苏州', '昆山', '嘉兴', '无锡', '南通'];
const ONLINE = ['content_view', 'live_stream', 'ad_click', 'share'] as const;
export const NOTICE_VERSION = 'oem-2025-02';

const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

export interface LeadSpec {
  /** Sequence number of the person (ids and phones derive from it). */
  n: number;
  storeId: string;
  at: number;
  /** Prefix of the OEM ids, so separate data sets never collide. */
  prefix: string;
  rand: () => number;
  /** Whether the person consented to sharing with the dealer's stores. */
  consents?: boolean;
}

export const oemIdOf = (prefix: string, n: number) => `${prefix}${String(n).padStart(8, '0')}`;
/** Unique, never a placeholder (139 + 8 digits, not all the same). */
export const phoneOf = (n: number) => `139${String(10_000_000 + ((n * 7_919) % 89_999_999)).padStart(8, '0')}`;

/** A new lead the OEM hands to a store, with its campaign, SLA and the person's consents. */
export function leadChange(s: LeadSpec): OemChangeInput & { type: 'lead' } {
  const campaign = pick(s.rand, CAMPAIGNS);
  const modelId = pick(s.rand, campaign.models);
  const oemId = oemIdOf(s.prefix, s.n);
  return {
    id: `chg-${oemId}-lead`,
    type: 'lead',
    oemId,
    storeId: s.storeId,
    changedAt: s.at,
    data: {
      name: `${pick(s.rand, SURNAMES)}${pick(s.rand, GIVEN)}`,
      gender: s.rand() < 0.5 ? 'male' : 'female',
      city: pick(s.rand, CITIES),
      phone: phoneOf(s.n),
      campaign: { id: campaign.id, name: campaign.name, channel: campaign.channel },
      modelId,
      assignedAt: s.at,
      // The OEM's promise to the buyer: a call within four hours.
      firstContactDueAt: s.at + 4 * 3600_000,
      ...(s.consents === false ? {} : { consents: [{ purpose: 'oem_sharing' as const, granted: true, noticeVersion: NOTICE_VERSION, at: s.at - 60_000, channel: 'oem' as const }] }),
    },
  };
}

/** An online touchpoint the OEM saw (content view, live stream, ad click, share). */
export function eventChange(oemId: string, k: number, at: number, rand: () => number, storeId?: string): OemChangeInput {
  const event = pick(rand, ONLINE);
  const modelId = pick(rand, CAMPAIGNS).models[0];
  const properties: Record<string, string | number | boolean | null> =
    event === 'content_view'
      ? { materialId: `oem-article-${1 + Math.floor(rand() * 40)}`, dwellSeconds: 20 + Math.floor(rand() * 300), category: pick(rand, ['space', 'performance', 'tech', 'price']), modelId }
      : event === 'live_stream'
        ? { liveTitle: '澜山新车直播间', watchSeconds: 60 + Math.floor(rand() * 1200), modelId, interacted: rand() < 0.3 }
        : event === 'ad_click'
          ? { modelId, campaign: pick(rand, CAMPAIGNS).id }
          : { materialId: `oem-article-${1 + Math.floor(rand() * 40)}`, category: 'space', modelId, target: pick(rand, ['friend', 'moments', 'group'] as const) };
  return {
    id: `chg-${oemId}-evt-${k}`,
    type: 'event',
    oemId,
    ...(storeId ? { storeId } : {}),
    changedAt: at,
    data: { messageId: `${oemId}-evt-${k}`, event, channel: event === 'live_stream' ? 'douyin_live' : 'app', properties, originalTimestamp: at - 30_000 },
  };
}

export function profileChange(oemId: string, k: number, at: number, rand: () => number): OemChangeInput {
  return { id: `chg-${oemId}-profile-${k}`, type: 'profile', oemId, changedAt: at, data: { city: pick(rand, CITIES), ...(rand() < 0.5 ? { name: `${pick(rand, SURNAMES)}${pick(rand, GIVEN)}` } : {}) } };
}

export function tagsChange(oemId: string, k: number, at: number, rand: () => number): OemChangeInput {
  const tags = OEM_TAGS.filter(() => rand() < 0.3);
  return { id: `chg-${oemId}-tags-${k}`, type: 'tags', oemId, changedAt: at, data: { tags } };
}

export function consentChange(oemId: string, k: number, at: number, granted: boolean): OemChangeInput {
  return { id: `chg-${oemId}-consent-${k}`, type: 'consent', oemId, changedAt: at, data: { purpose: 'oem_sharing', granted, noticeVersion: NOTICE_VERSION, at, channel: 'oem' } };
}

export interface BulkFeedOptions {
  /** How many changes in all (about). */
  changes: number;
  stores: readonly string[];
  /** Time of the first change; the rest follow a second apart. */
  startAt: number;
  seed?: number;
  prefix?: string;
  /** Share of the feed that is updates of people already fed (profiles, tags) placed later. */
  updates?: number;
}

/**
 * A feed of mostly new leads, each followed by an online event or two of the same person, and
 * later, in a separate stretch, profile and tag updates of people fed earlier (they reach
 * customers that exist by then). About `changes` changes.
 */
export function bulkFeed(o: BulkFeedOptions): { changes: OemChangeInput[]; people: { oemId: string; storeId: string; phone: string }[] } {
  const rand = prng(o.seed ?? 11);
  const prefix = o.prefix ?? 'OEMB';
  const updates = Math.round(o.changes * (o.updates ?? 0.15));
  const fresh: OemChangeInput[] = [];
  const people: { oemId: string; storeId: string; phone: string }[] = [];
  let t = o.startAt;
  for (let n = 0; fresh.length < o.changes - updates; n++) {
    const storeId = o.stores[n % o.stores.length];
    const lead = leadChange({ n, storeId, at: (t += 1000), prefix, rand });
    people.push({ oemId: lead.oemId, storeId, phone: phoneOf(n) });
    fresh.push(lead);
    if (rand() < 0.7) fresh.push(eventChange(lead.oemId, 0, (t += 1000), rand, storeId));
  }
  const later: OemChangeInput[] = [];
  for (let k = 0; later.length < updates; k++) {
    const p = people[Math.floor(rand() * people.length)];
    later.push(rand() < 0.5 ? profileChange(p.oemId, k, (t += 1000), rand) : tagsChange(p.oemId, k, (t += 1000), rand));
  }
  return { changes: [...fresh, ...later], people };
}

/** Names and phones of people the OEM knows who are already customers of the dealer (the demo). */
export interface KnownPerson {
  oemId: string;
  storeId: string;
}

/**
 * The demo's opening feed: people the OEM already knows at the dealer's stores give their
 * consent to sharing on the OEM's app, get the OEM's tags and an online touchpoint; and a few
 * new leads wait for each store.
 */
export function demoOpeningFeed(known: readonly KnownPerson[], stores: readonly string[], now: number, seed = 7): OemChangeInput[] {
  const rand = prng(seed);
  const out: OemChangeInput[] = [];
  let t = now - 3 * 3600_000;
  for (const p of known) {
    out.push(consentChange(p.oemId, 0, (t += 20_000), true));
    out.push(tagsChange(p.oemId, 0, (t += 1000), rand));
    out.push(eventChange(p.oemId, 0, (t += 1000), rand, p.storeId));
  }
  stores.forEach((storeId, i) => {
    for (let k = 0; k < 2; k++) out.push(leadChange({ n: 900_000 + i * 10 + k, storeId, at: now - (60 - i * 10 - k) * 60_000, prefix: 'OEMD', rand }));
  });
  return out;
}
