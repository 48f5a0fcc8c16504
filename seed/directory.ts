/**
 * The fixed part of the demo dealership: region, stores, staff and the demo customers.
 * It does not depend on the seed, so the README and the sign-in page can name these people.
 */
import type { DemoStore } from '../types/api';
import type { IntentGrade, LifecycleStage, ModelLine, StaffDoc, StoreDoc } from '../types/model';
import { BRAND } from '../cloudfunctions/_core/catalog';
import { hashString, rngFor } from './prng';

export const REGION = '华东大区';

/** City a store's customers live in, with weights. */
export interface StoreSpec {
  doc: StoreDoc;
  /** Share of customers registered to this store. */
  share: number;
  cities: readonly (readonly [string, number])[];
}

export const STORES: readonly StoreSpec[] = [
  {
    doc: {
      _id: 'store-sh-pudong',
      name: '上海浦东店',
      brand: BRAND.name,
      region: REGION,
      city: '上海',
      address: '上海市浦东新区龙东大道 3188 号',
      phone: '021-58836688',
      location: { lng: 121.6412, lat: 31.2198 },
    },
    share: 0.4,
    cities: [['上海', 90], ['南通', 4], ['嘉兴', 3], ['宁波', 3]],
  },
  {
    doc: {
      _id: 'store-sh-jiading',
      name: '上海嘉定店',
      brand: BRAND.name,
      region: REGION,
      city: '上海',
      address: '上海市嘉定区安亭镇博园路 6688 号',
      phone: '021-69576688',
      location: { lng: 121.1796, lat: 31.2921 },
    },
    share: 0.3,
    cities: [['上海', 75], ['昆山', 12], ['太仓', 8], ['苏州', 5]],
  },
  {
    doc: {
      _id: 'store-sz-sip',
      name: '苏州工业园区店',
      brand: BRAND.name,
      region: REGION,
      city: '苏州',
      address: '苏州市工业园区星湖街 1299 号',
      phone: '0512-62886688',
      location: { lng: 120.7313, lat: 31.2846 },
    },
    share: 0.3,
    cities: [['苏州', 70], ['昆山', 10], ['无锡', 8], ['常熟', 5], ['张家港', 4], ['上海', 3]],
  },
];

export const CITY_TIER: Record<string, 't1' | 'new_t1' | 't2' | 't3_below'> = {
  上海: 't1',
  苏州: 'new_t1',
  宁波: 'new_t1',
  无锡: 't2',
  南通: 't2',
  嘉兴: 't2',
  昆山: 't3_below',
  太仓: 't3_below',
  常熟: 't3_below',
  张家港: 't3_below',
};

type StaffRow = readonly [id: string, name: string, lines: readonly ModelLine[], capacity: number, miniProgram: boolean];

const ALL_LINES: readonly ModelLine[] = ['SUV', 'sedan', 'MPV', 'NEV'];

/** Per store: the manager first, then the five consultants. */
const STAFF_ROWS: Record<string, readonly StaffRow[]> = {
  // Capacities fit the 20k-customer demo: a consultant works 150-300 customers (new and warm
  // leads, recent buyers); the rest are closed, dormant or in the store's pool.
  'store-sh-pudong': [
    ['wangjianguo', '王建国', ALL_LINES, 60, true],
    ['zhangwei', '张伟', ['SUV', 'NEV'], 360, true],
    ['lina', '李娜', ['sedan', 'NEV'], 340, false],
    ['chenxiaodong', '陈晓东', ['SUV', 'MPV'], 340, false],
    ['liuting', '刘婷', ['NEV'], 320, false],
    ['zhoulei', '周磊', ['SUV', 'sedan'], 320, false],
  ],
  'store-sh-jiading': [
    ['xuhaiyan', '徐海燕', ALL_LINES, 60, true],
    ['zhujun', '朱俊', ['SUV', 'MPV'], 340, false],
    ['shenjiayi', '沈佳怡', ['NEV', 'sedan'], 340, true],
    ['yangfan', '杨帆', ['SUV'], 320, false],
    ['wumin', '吴敏', ['sedan', 'MPV'], 320, false],
    ['huanghao', '黄浩', ['NEV', 'SUV'], 320, false],
  ],
  'store-sz-sip': [
    ['guzhiqiang', '顾志强', ALL_LINES, 60, true],
    ['sunli', '孙丽', ['NEV'], 340, true],
    ['qiancheng', '钱程', ['SUV', 'sedan'], 340, false],
    ['machao', '马超', ['SUV', 'MPV'], 320, false],
    ['zhaoxue', '赵雪', ['sedan', 'NEV'], 320, false],
    ['hubin', '胡斌', ['SUV', 'NEV'], 320, false],
  ],
};

/** A WeChat-looking id (openid/unionid: 'o' + 27, external_userid: 'wm' + 30) fixed by a name. */
export function fixedWechatId(kind: 'openid' | 'unionid' | 'externalUserId', key: string): string {
  const rng = rngFor(hashString(`${kind}:${key}`), 0x5eed, 0);
  return kind === 'externalUserId' ? `wm${rng.base64url(30)}` : `o${rng.base64url(27)}`;
}

export const STAFF: readonly StaffDoc[] = STORES.flatMap(({ doc }) =>
  (STAFF_ROWS[doc._id] ?? []).map(([id, name, lines, capacity, miniProgram], i): StaffDoc => ({
    _id: id,
    name,
    role: i === 0 ? 'manager' : 'consultant',
    storeId: doc._id,
    wecomUserId: id,
    ...(miniProgram ? { openid: fixedWechatId('openid', `staff:${id}`) } : {}),
    modelLines: [...lines],
    capacity,
    active: true,
  })),
);

export function consultantsOf(storeId: string): StaffDoc[] {
  return STAFF.filter((s) => s.storeId === storeId && s.role === 'consultant');
}

export function managerOf(storeId: string): StaffDoc | undefined {
  return STAFF.find((s) => s.storeId === storeId && s.role === 'manager');
}

/**
 * Demo customers: the first customers generated, all at the first store and owned by its
 * first consultant, with a rich, recent history. Their WeChat ids are fixed so the local
 * sign-in can act as them and the sidebar can open their profile.
 */
export interface DemoCustomerSpec {
  name: string;
  gender: 'male' | 'female';
  city: string;
  stage: LifecycleStage;
  grade?: IntentGrade;
  source: string;
  /** Models of interest, the first is the main one. */
  models: readonly string[];
  /** For owners: the model bought and how many years ago. */
  owned?: { modelId: string; yearsAgo: number };
  /** Multiplies the usual amount of activity. */
  engagement: number;
  /** Extra SUV shares and the SUV test-drive survey (the "SUV test-drive audience" example). */
  suvAudience?: boolean;
  openid: string;
  unionid: string;
  externalUserId: string;
}

function demo(key: string, spec: Omit<DemoCustomerSpec, 'openid' | 'unionid' | 'externalUserId'>): DemoCustomerSpec {
  return {
    ...spec,
    openid: fixedWechatId('openid', `demo:${key}`),
    unionid: fixedWechatId('unionid', `demo:${key}`),
    externalUserId: fixedWechatId('externalUserId', `demo:${key}`),
  };
}

export const DEMO_CUSTOMERS: readonly DemoCustomerSpec[] = [
  demo('liming', { name: '李明', gender: 'male', city: '上海', stage: 'prospect', grade: 'H', source: 'autohome', models: ['lanyue', 'lanyue_erev'], engagement: 4.5 }),
  demo('chenjing', { name: '陈静', gender: 'female', city: '上海', stage: 'lead', grade: 'A', source: 'miniprogram', models: ['qinglan_ev'], engagement: 5 }),
  demo('sunyue', { name: '孙悦', gender: 'female', city: '上海', stage: 'lead', grade: 'B', source: 'douyin_live', models: ['lingfeng', 'tuyao'], engagement: 4, suvAudience: true }),
  demo('wanglei', { name: '王磊', gender: 'male', city: '上海', stage: 'owner', source: 'store', models: ['lanyue_erev'], owned: { modelId: 'tuyao', yearsAgo: 6 }, engagement: 3.5 }),
  demo('liuyang', { name: '刘洋', gender: 'male', city: '上海', stage: 'prospect', grade: 'A', source: 'referral', models: ['yuchen'], engagement: 3.5 }),
  demo('wuqian', { name: '吴倩', gender: 'female', city: '上海', stage: 'prospect', grade: 'H', source: 'dongchedi', models: ['lanying_ev'], engagement: 4 }),
  demo('zhoujie', { name: '周杰', gender: 'male', city: '南通', stage: 'owner', source: 'wecom', models: ['qinglan_ev'], owned: { modelId: 'yunyi', yearsAgo: 2 }, engagement: 3 }),
  demo('zhaomin', { name: '赵敏', gender: 'female', city: '上海', stage: 'lead', source: 'channels_live', models: ['tuyao'], engagement: 3, suvAudience: true }),
];

/** The store and consultant the demo customers belong to. */
export const DEMO_STORE_ID = 'store-sh-pudong';
export const DEMO_CONSULTANT_ID = 'zhangwei';

export function customerId(index: number): string {
  return `cus-${String(index + 1).padStart(7, '0')}`;
}

const STAFF_TITLES: Record<StaffDoc['role'], string> = { manager: '销售经理', consultant: '销售顾问' };

export interface DemoDirectory {
  region: string;
  stores: {
    id: string;
    name: string;
    address: string;
    manager: { id: string; name: string; openid?: string };
    consultants: { id: string; name: string; modelLines: ModelLine[]; openid?: string }[];
  }[];
  customers: {
    id: string;
    name: string;
    stage: LifecycleStage;
    grade?: IntentGrade;
    storeId: string;
    ownerId: string;
    openid: string;
    unionid: string;
    externalUserId: string;
  }[];
}

/** The people of the demo, for the README and the local sign-in page. */
export function demoDirectory(): DemoDirectory {
  return {
    region: REGION,
    stores: STORES.map(({ doc }) => {
      const m = managerOf(doc._id);
      if (!m) throw new Error(`store ${doc._id} has no manager`);
      return {
        id: doc._id,
        name: doc.name,
        address: doc.address,
        manager: { id: m._id, name: m.name, ...(m.openid ? { openid: m.openid } : {}) },
        consultants: consultantsOf(doc._id).map((c) => ({
          id: c._id,
          name: c.name,
          modelLines: c.modelLines,
          ...(c.openid ? { openid: c.openid } : {}),
        })),
      };
    }),
    customers: DEMO_CUSTOMERS.map((d, i) => ({
      id: customerId(i),
      name: d.name,
      stage: d.stage,
      ...(d.grade ? { grade: d.grade } : {}),
      storeId: DEMO_STORE_ID,
      ownerId: DEMO_CONSULTANT_ID,
      openid: d.openid,
      unionid: d.unionid,
      externalUserId: d.externalUserId,
    })),
  };
}

/** The same people in the shape of the `auth.demoPeople` reply. */
export function demoPeople(): DemoStore[] {
  return STORES.map(({ doc }) => ({
    id: doc._id,
    name: doc.name,
    people: [
      ...STAFF.filter((s) => s.storeId === doc._id).map((s) => ({ id: s._id, name: s.name, role: s.role, title: STAFF_TITLES[s.role] })),
      ...(doc._id === DEMO_STORE_ID
        ? DEMO_CUSTOMERS.map((d, i) => ({ id: customerId(i), name: d.name, role: 'customer' as const, title: '客户' }))
        : []),
    ],
  }));
}
