import type { EventDoc, TouchpointType } from '../../../../types/model';
import {
  BRAND,
  CHANNELS,
  channelName,
  describeEvent,
  tidyChinese,
  formatDuration,
  formatWan,
  MODELS,
  modelById,
  STAGE_TAG,
  TAGS,
  tagById,
  tagPath,
  tagPathNames,
  TOUCHPOINT_LABELS,
  TOUCHPOINT_TYPES,
} from '..';

function event(type: TouchpointType, properties: EventDoc['properties'], source = 'store'): EventDoc {
  return {
    _id: 'e1',
    customerId: 'c1',
    storeId: 'store-sh-pudong',
    type,
    source,
    properties,
    originalTimestamp: 0,
    sentAt: 0,
    receivedAt: 0,
    timestamp: 0,
  };
}

const lookups = {
  materialTitle: (id: string) => (id === 'mat-001' ? '揽岳 七座空间实测' : undefined),
  storeName: (id: string) => (id === 'store-sh-pudong' ? '上海浦东店' : undefined),
};

describe('models', () => {
  it('offers about ten lines across SUV, sedan, MPV and NEV with both 纯电 and 增程', () => {
    expect(MODELS.length).toBeGreaterThanOrEqual(10);
    expect(new Set(MODELS.map((m) => m.id)).size).toBe(MODELS.length);
    expect(new Set(MODELS.map((m) => m.line))).toEqual(new Set(['SUV', 'sedan', 'MPV', 'NEV']));
    const nev = MODELS.filter((m) => m.line === 'NEV');
    expect(new Set(nev.map((m) => m.energy))).toEqual(new Set(['bev', 'erev']));
    expect(nev.some((m) => m.body === 'suv') && nev.some((m) => m.body === 'sedan')).toBe(true);
    expect(MODELS.some((m) => m.line === 'SUV' && m.seats === 7)).toBe(true);
  });

  it('prices every trim inside the model price range and names models in Chinese with the brand', () => {
    for (const m of MODELS) {
      expect(m.priceMin).toBeLessThan(m.priceMax);
      for (const t of m.trims) {
        expect(t.price).toBeGreaterThanOrEqual(Math.round(m.priceMin * 10_000));
        expect(t.price).toBeLessThanOrEqual(Math.round(m.priceMax * 10_000));
      }
      expect(m.fullName.startsWith(BRAND.shortName)).toBe(true);
      expect(m.name).toMatch(/[\u4e00-\u9fa5]/);
    }
  });

  it('looks models up by id', () => {
    expect(modelById('lanyue')?.name).toBe('揽岳');
    expect(modelById('no-such-model')).toBeUndefined();
  });
});

describe('channels', () => {
  it('names the channels the dealer sees in Chinese and passes unknown ids through', () => {
    const expected: Record<string, string> = {
      autohome: '汽车之家',
      dongchedi: '懂车帝',
      yiche: '易车',
      douyin_live: '抖音直播',
      channels_live: '视频号直播',
      miniprogram: '小程序',
      wecom: '企业微信',
      store: '门店',
      referral: '车主推荐',
      website: '官网',
      hotline: '400热线',
    };
    for (const [id, name] of Object.entries(expected)) expect(channelName(id)).toBe(name);
    expect(new Set(CHANNELS.map((c) => c.id)).size).toBe(CHANNELS.length);
    expect(channelName('new_oem_source')).toBe('new_oem_source');
  });
});

describe('tag taxonomy', () => {
  const byLevel = (level: number) => TAGS.filter((t) => t.level === level);

  it('has two subjects and at least 8 / 30 / 100 tags on its three levels', () => {
    expect(byLevel(1).length).toBeGreaterThanOrEqual(8);
    expect(byLevel(2).length).toBeGreaterThanOrEqual(30);
    expect(byLevel(3).length).toBeGreaterThanOrEqual(100);
    expect(new Set(TAGS.map((t) => t.subject))).toEqual(new Set(['person', 'vehicle']));
  });

  it('uses unique, stable ASCII ids', () => {
    expect(new Set(TAGS.map((t) => t.id)).size).toBe(TAGS.length);
    for (const t of TAGS) expect(t.id).toMatch(/^[a-z0-9_-]+$/);
  });

  it('gives every leaf a full path of one level-1 and one level-2 ancestor of the same subject', () => {
    for (const leaf of byLevel(3)) {
      const path = tagPath(leaf.id);
      expect(path).toHaveLength(2);
      const [l1, l2] = path.map((id) => tagById(id));
      expect(l1?.level).toBe(1);
      expect(l2?.level).toBe(2);
      expect(l2?.parentId).toBe(l1?.id);
      expect(leaf.parentId).toBe(l2?.id);
      expect(l1?.subject).toBe(leaf.subject);
    }
    for (const root of byLevel(1)) expect(root.parentId).toBeNull();
  });

  it('gives every level-2 tag at least two leaves', () => {
    for (const group of byLevel(2)) expect(TAGS.filter((t) => t.parentId === group.id).length).toBeGreaterThanOrEqual(2);
  });

  it('names a path in Chinese and rejects unknown ids', () => {
    expect(tagPathNames(STAGE_TAG.prospect)).toEqual(['生命周期', '客户阶段', '潜客']);
    expect(tagPathNames('vehicle_pref-body-suv')).toEqual(['车型偏好', '车身类型', '关注SUV']);
    expect(() => tagPath('no-such-tag')).toThrow('unknown tag');
    const copy = tagPath('intent-level-high');
    copy.push('mutated');
    expect(tagPath('intent-level-high')).toEqual(['intent', 'intent-level']);
  });
});

describe('touchpoints', () => {
  it('labels every touchpoint type in Chinese', () => {
    expect(TOUCHPOINT_TYPES).toHaveLength(13);
    for (const t of TOUCHPOINT_TYPES) expect(TOUCHPOINT_LABELS[t]).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('formats durations and prices the way the timeline shows them', () => {
    expect(formatDuration(200)).toBe('3 分 20 秒');
    expect(formatDuration(45)).toBe('45 秒');
    expect(formatDuration(120)).toBe('2 分钟');
    expect(formatDuration(3900)).toBe('1 小时 5 分');
    expect(formatWan(215800)).toBe('21.58');
    expect(formatWan(12000)).toBe('1.2');
    expect(formatWan(100000)).toBe('10');
  });

  it.each<[string, EventDoc, string]>([
    ['a content view with its material', event('content_view', { materialId: 'mat-001', dwellSeconds: 200, category: 'space', modelId: 'lanyue' }, 'miniprogram'), '浏览《揽岳 七座空间实测》，停留 3 分 20 秒'],
    ['a content view of an unknown material', event('content_view', { materialId: 'mat-999', dwellSeconds: 45, category: 'space', modelId: 'lanyue' }, 'miniprogram'), '浏览揽岳空间内容，停留 45 秒'],
    ['an ad click', event('ad_click', { modelId: 'lanyue', campaign: '揽岳限时礼遇' }, 'autohome'), '在汽车之家点击澜山揽岳广告'],
    ['a live stream', event('live_stream', { liveTitle: '揽岳七座家庭季', watchSeconds: 1080, modelId: 'lanyue', interacted: true }, 'douyin_live'), '观看抖音直播《揽岳七座家庭季》，时长 18 分钟，有互动'],
    ['a share to moments', event('share', { materialId: 'mat-001', category: 'space', modelId: 'lanyue', target: 'moments' }, 'miniprogram'), '分享《揽岳 七座空间实测》到朋友圈'],
    ['a test-drive booking', event('form_submit', { form: 'test_drive_booking', modelId: 'qinglan_ev', formName: null, activityId: null }, 'dongchedi'), '在懂车帝预约试驾青澜EV'],
    ['a survey', event('form_submit', { form: 'survey', modelId: 'lingfeng', formName: 'SUV 试驾意向问卷', activityId: null }, 'miniprogram'), '在小程序填写《SUV 试驾意向问卷》'],
    ['an activity sign-up', event('form_submit', { form: 'activity_signup', modelId: null, formName: 'SUV 试驾周末', activityId: 'act-suv-weekend' }, 'miniprogram'), '在小程序报名《SUV 试驾周末》'],
    ['a store visit', event('store_visit', { durationMinutes: 45, visitNo: 1 }), '到访上海浦东店，停留 45 分钟'],
    ['a test drive', event('test_drive', { modelId: 'lanyue', trim: '2.0T 两驱尊贵版', durationMinutes: 25 }), '到店试驾揽岳 2.0T 两驱尊贵版'],
    ['a quote with a price cut', event('quote', { modelId: 'lanyue', trim: '2.0T 两驱尊贵版', listPrice: 215800, price: 203800, priceCut: 12000 }), '报价揽岳 20.38 万，优惠 1.2 万'],
    ['a quote without a price cut', event('quote', { modelId: 'lanyue', trim: '2.0T 两驱尊贵版', listPrice: 215800, price: 215800, priceCut: 0 }), '报价揽岳 21.58 万，无优惠'],
    ['an order', event('order', { modelId: 'lanyue', trim: '2.0T 两驱尊贵版', orderNo: 'LS202611210001', price: 203800, deposit: 10000 }), '下订揽岳 2.0T 两驱尊贵版，成交价 20.38 万'],
    ['a delivery', event('delivery', { modelId: 'tuyao', trim: '1.5T 豪华版', vinTail: '123456' }), '交车途遥（车架号尾号 123456）'],
    ['a first service', event('service_visit', { modelId: 'lanyue', service: 'first_service', mileageKm: 5000, amount: 0 }), '进店首保（揽岳），里程 5,000 公里'],
    ['a WeCom message from the customer', event('wecom_chat', { direction: 'in', messages: 3 }, 'wecom'), '客户在企业微信发来 3 条消息'],
    ['a connected call', event('call', { direction: 'outbound', durationSeconds: 130, connected: true }, 'phone'), '电话回访 2 分 10 秒'],
    ['an unanswered call', event('call', { direction: 'outbound', durationSeconds: 0, connected: false }, 'phone'), '电话回访未接通'],
    ['a hotline call', event('call', { direction: 'inbound', durationSeconds: 300, connected: true }, 'hotline'), '400热线来电咨询 5 分钟'],
    ['a brochure request', event('form_submit', { form: 'brochure', modelId: 'lanyue', formName: null, activityId: null }, 'website'), '在官网获取揽岳车型手册'],
  ])('describes %s', (_name, e, expected) => {
    expect(describeEvent(e, lookups)).toBe(expected);
  });

  it('sets no space between Chinese words, but keeps it beside digits, Latin and inside titles', () => {
    expect(tidyChinese('在官网获取 揽岳 车型手册')).toBe('在官网获取揽岳车型手册');
    expect(tidyChinese('到店试驾 揽岳 2.0T 两驱尊贵版')).toBe('到店试驾揽岳 2.0T 两驱尊贵版');
    expect(tidyChinese('浏览《揽岳 七座空间实测》，停留 3 分 20 秒')).toBe('浏览《揽岳 七座空间实测》，停留 3 分 20 秒');
  });

  it('still says something sensible when properties are missing or of the wrong type', () => {
    expect(describeEvent(event('quote', {}))).toBe('报价');
    expect(describeEvent(event('store_visit', { durationMinutes: 'long' }))).toBe('到店');
    expect(describeEvent(event('ad_click', { modelId: 'unknown' }, 'some_new_site'))).toBe('在some_new_site点击广告');
    expect(describeEvent(event('content_view', { materialId: 'mat-001' }, 'miniprogram'))).toBe('浏览内容');
  });
});
