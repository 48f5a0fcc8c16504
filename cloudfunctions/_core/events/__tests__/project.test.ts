import { projectEvent, type ProjectableEvent, type ProjectedFields } from '../project';

const NOW = Date.parse('2026-11-23T12:00:00+08:00');
const base: ProjectedFields = {
  lastActivityAt: NOW - 10_000,
  lastTouch: { type: 'content_view', at: NOW - 10_000, summary: '浏览内容' },
  vehiclesOfInterest: [{ modelId: 'tuyao', at: NOW - 10_000 }],
  vehiclesOwned: [],
  storesVisited: [{ storeId: 's1', count: 1, lastAt: NOW - 50_000 }],
  updatedAt: NOW - 10_000,
};
const ev = (type: ProjectableEvent['type'], at: number, properties: ProjectableEvent['properties'] = {}, storeId = 's1'): ProjectableEvent => ({
  type,
  timestamp: at,
  properties,
  storeId,
});

describe('projectEvent', () => {
  it('moves last activity and last touch forward, never back', () => {
    const newer = projectEvent(base, ev('test_drive', NOW, { modelId: 'lanyue' }), '到店试驾 揽岳', NOW + 1);
    expect(newer.lastActivityAt).toBe(NOW);
    expect(newer.lastTouch).toEqual({ type: 'test_drive', at: NOW, summary: '到店试驾 揽岳' });
    expect(newer.updatedAt).toBe(NOW + 1);
    const older = projectEvent(newer, ev('ad_click', NOW - 99_000, { modelId: 'yunyi' }), '点击广告', NOW + 2);
    expect(older.lastTouch).toEqual(newer.lastTouch);
    expect(older.lastActivityAt).toBe(NOW);
  });

  it('an outbound call is not the customer’s touch', () => {
    const r = projectEvent(base, ev('call', NOW, { direction: 'outbound', connected: false }), '电话回访未接通', NOW);
    expect(r.lastTouch).toEqual(base.lastTouch);
    expect(r.lastActivityAt).toBe(base.lastActivityAt);
  });

  it('keeps vehicles of interest newest first, one per model', () => {
    const r = projectEvent(base, ev('content_view', NOW, { modelId: 'tuyao', category: 'space', dwellSeconds: 5 }), 'x', NOW);
    expect(r.vehiclesOfInterest).toEqual([{ modelId: 'tuyao', at: NOW }]);
    const r2 = projectEvent(r, ev('quote', NOW + 1, { modelId: 'lanyue', price: 1 }), 'x', NOW);
    expect(r2.vehiclesOfInterest.map((v) => v.modelId)).toEqual(['lanyue', 'tuyao']);
  });

  it('adds an owned vehicle on delivery, once', () => {
    const r = projectEvent(base, ev('delivery', NOW, { modelId: 'lanyue', vinTail: '123456' }), '交车', NOW);
    expect(r.vehiclesOwned).toEqual([{ modelId: 'lanyue', vinTail: '123456', purchasedAt: NOW }]);
    expect(projectEvent(r, ev('delivery', NOW, { modelId: 'lanyue', vinTail: '123456' }), '交车', NOW).vehiclesOwned).toHaveLength(1);
  });

  it('counts store visits per store with the latest visit', () => {
    const r = projectEvent(base, ev('store_visit', NOW, { durationMinutes: 30 }), '到店', NOW);
    expect(r.storesVisited).toEqual([{ storeId: 's1', count: 2, lastAt: NOW }]);
    const r2 = projectEvent(r, ev('store_visit', NOW - 1, {}, 's2'), '到店', NOW);
    expect(r2.storesVisited).toEqual([{ storeId: 's1', count: 2, lastAt: NOW }, { storeId: 's2', count: 1, lastAt: NOW - 1 }]);
  });
});
