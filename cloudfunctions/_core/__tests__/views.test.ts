import type { CustomerDoc, EventDoc } from '../../../types/model';
import { toLeadSummary, toProfile, toTimelineItem, type Lookups } from '../views';

const lookups: Lookups = {
  model: (id) => ({ suv7: { name: '揽岳', line: 'SUV' as const }, ev: { name: '澜电', line: 'NEV' as const } })[id],
  channelName: (id) => ({ autohome: '汽车之家', store: '门店' })[id] ?? '其他渠道',
  tag: (id) => ({ intent: { name: '购车意向', subject: 'person' as const }, high: { name: '意向高', subject: 'person' as const } })[id],
  storeName: (id) => ({ s1: '上海浦东店', s2: '苏州园区店' })[id] ?? '其他门店',
  staffName: (id) => ({ zhangwei: '张伟' })[id],
  describeEvent: (e) => `描述 ${e.type}`,
};

const now = Date.parse('2026-11-23T10:00:00+08:00');
const customer: CustomerDoc = {
  _id: 'c1',
  name: '李娜',
  gender: 'female',
  city: '上海',
  identities: { phone: '13912345678', externalUserId: 'wmAbc' },
  storeId: 's1',
  ownerId: 'zhangwei',
  stage: 'prospect',
  grade: 'A',
  sourceChannel: 'autohome',
  vehiclesOfInterest: [
    { modelId: 'ev', at: now - 5_000 },
    { modelId: 'suv7', at: now - 1_000 },
  ],
  vehiclesOwned: [],
  tags: [
    { tagId: 'high', path: ['intent'], source: 'rule', assignedAt: now - 10 },
    { tagId: 'high', path: ['intent'], source: 'oem', assignedAt: now - 10, expiresAt: now - 1 },
  ],
  storesVisited: [
    { storeId: 's2', lastAt: now - 9_000, count: 1 },
    { storeId: 's1', lastAt: now - 2_000, count: 3 },
  ],
  createdAt: now - 100_000,
  updatedAt: now,
  lastActivityAt: now - 1_000,
  lastTouch: { type: 'store_visit', at: now - 1_000, summary: '到店 上海浦东店' },
};

describe('views', () => {
  it('puts the most recent vehicle of interest on the lead card and masks the phone', () => {
    const lead = toLeadSummary(customer, lookups, false);
    expect(lead.vehicleOfInterest).toEqual({ modelId: 'suv7', name: '揽岳', line: 'SUV' });
    expect(lead.phoneMasked).toBe('139****5678');
    expect(lead.owner).toBeUndefined();
    expect(toLeadSummary(customer, lookups, true).owner).toEqual({ id: 'zhangwei', name: '张伟' });
  });

  it('reveals the phone only to the owner and drops expired tags', () => {
    const own = toProfile(customer, lookups, { viewerOwns: true, now });
    expect(own.phone).toBe('13912345678');
    expect(toProfile(customer, lookups, { viewerOwns: false, now }).phone).toBeUndefined();
    expect(own.tags).toEqual([expect.objectContaining({ name: '意向高', pathNames: ['购车意向', '意向高'], source: 'rule' })]);
    expect(own.storesVisited.map((s) => s.storeName)).toEqual(['上海浦东店', '苏州园区店']);
    expect(own.sourceChannelName).toBe('汽车之家');
    expect(own.hasWecom).toBe(true);
  });

  it('titles timeline items in Chinese with the channel name', () => {
    const e = { _id: 'e1', type: 'content_view', source: 'autohome', timestamp: now } as EventDoc;
    expect(toTimelineItem(e, lookups)).toEqual({ id: 'e1', type: 'content_view', at: now, title: '描述 content_view', sourceName: '汽车之家' });
  });

  it('marks a content view of a few seconds as a glance (brief), a longer one not', () => {
    const view = (dwellSeconds: number) => ({ _id: 'e2', type: 'content_view', source: 'miniprogram', timestamp: now, properties: { dwellSeconds } }) as unknown as EventDoc;
    expect(toTimelineItem(view(6), lookups).brief).toBe(true);
    expect(toTimelineItem(view(40), lookups).brief).toBeUndefined();
  });
});
