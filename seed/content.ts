/**
 * The material library (素材库), the upcoming store activities, and the names of campaigns,
 * live streams and past activities that events refer to.
 */
import type { ActivityDoc, MaterialDoc, MaterialKind, ModelLine } from '../types/model';
import type { ContentCategory } from '../cloudfunctions/_core/catalog';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Offset of China Standard Time from UTC. */
export const CST = 8 * HOUR;

type MaterialRow = readonly [kind: MaterialKind, modelId: string | null, category: ContentCategory, title: string, summary: string];

const MATERIAL_ROWS: readonly MaterialRow[] = [
  ['article', 'lanyue', 'space', '揽岳 七座空间实测', '一家六口带满行李出游，三排乘坐与后备厢实测。'],
  ['video', 'lanyue', 'driving', '揽岳 2.0T 川藏线长测', '高海拔、连续弯道下的动力与底盘表现。'],
  ['poster', 'lanyue', 'price', '揽岳 七座家庭季限时礼遇', '限时置换补贴 1 万元，首年保养免费。'],
  ['article', 'lanyue', 'safety', '揽岳 C-NCAP 五星碰撞解读', '笼式车身与 9 气囊，二排儿童座椅接口实拍。'],
  ['video', 'tuyao', 'design', '途遥 运动版外观细节', '熏黑套件、20 英寸轮毂与双色车身。'],
  ['article', 'tuyao', 'price', '途遥 12 万级紧凑 SUV 怎么选', '三个版型配置差异与推荐。'],
  ['video', 'tuyao', 'tech', '途遥 车机语音实测', '连续对话、可见即可说与导航体验。'],
  ['article', 'lingfeng', 'performance', '凌峰 四驱性能版赛道日', '百公里加速 6.9 秒，赛道圈速实测。'],
  ['video', 'lingfeng', 'driving', '凌峰 城市通勤一周体验', '舒适性、静谧性与油耗记录。'],
  ['poster', 'lingfeng', 'price', '凌峰 金融礼遇 0 首付', '两年 0 息，首付低至 0 元。'],
  ['article', 'yunyi', 'space', '云逸 后排腿部空间对比', '同级中型车后排空间横评。'],
  ['video', 'yunyi', 'tech', '云逸 L2 辅助驾驶高速实测', '自适应巡航与车道居中在高速上的表现。'],
  ['article', 'yunyi', 'energy', '云逸 1.5T 真实油耗记录', '一万公里综合油耗 6.8 升。'],
  ['article', 'ruichi', 'price', '锐驰 十万级家轿用车成本', '三年保养、保险与油耗花费全算清。'],
  ['video', 'ruichi', 'design', '锐驰 新配色上市', '星河蓝与月光白两款新配色实拍。'],
  ['article', 'yuchen', 'space', '御宸 二排航空座椅体验', '零重力座椅、电动滑轨与商务接待场景。'],
  ['video', 'yuchen', 'driving', '御宸 商务接待一日', '机场接送与长途出行的舒适性。'],
  ['poster', 'yuchen', 'price', '御宸 企业购车专享政策', '企业客户专属优惠与金融方案。'],
  ['article', 'qinglan_ev', 'energy', '青澜EV 冬季续航实测', '零下 5 度城市与高速续航达成率。'],
  ['video', 'qinglan_ev', 'tech', '青澜EV 城市 NOA 实测', '上海内环高架自动变道与上下匝道。'],
  ['article', 'qinglan_ev', 'safety', '青澜EV 电池安全解读', '针刺、挤压与涉水测试。'],
  ['poster', 'qinglan_ev', 'price', '青澜EV 置换国补叠加礼', '置换补贴与厂家礼遇最高 2.5 万。'],
  ['video', 'lanyue_erev', 'energy', '揽岳增程 上海到黄山一箱油', '纯电通勤、增程长途的真实能耗。'],
  ['article', 'lanyue_erev', 'space', '揽岳增程 三排空间与露营模式', '外放电露营实拍。'],
  ['article', 'lanyue_erev', 'tech', '揽岳增程 智能座舱详解', '三联屏、语音助手与后排娱乐。'],
  ['video', 'lanying_ev', 'design', '澜影EV 溜背造型设计解读', '风阻系数 0.21 的设计细节。'],
  ['article', 'lanying_ev', 'energy', '澜影EV 700km 续航怎么跑出来', '电驱效率与热管理。'],
  ['video', 'lanying_ev', 'performance', '澜影EV 四驱性能版加速', '零百 3.9 秒实测。'],
  ['article', 'yunyi_erev', 'energy', '云逸增程 通勤一周不加油', '200km 纯电续航的日常。'],
  ['poster', 'yunyi_erev', 'price', '云逸增程 上市礼遇', '首任车主终身三电质保。'],
  ['article', null, 'tech', '澜山智驾 2.0 升级说明', '高速 NOA 与记忆泊车全系推送。'],
  ['article', null, 'safety', '冬季用车安全指南', '胎压、防冻液与雨刮检查。'],
  ['video', null, 'design', '澜山品牌设计理念', '东方山水设计语言。'],
  ['poster', null, 'price', '澜山老车主置换季', '老车主置换任意新车型享专属补贴。'],
  ['article', null, 'price', '购车金融方案全解析', '贷款、融资租赁与 0 首付怎么选。'],
  ['live', 'lanyue', 'space', '揽岳七座家庭季 直播回放', '顾问带看三排空间与儿童座椅安装。'],
  ['live', 'qinglan_ev', 'energy', '青澜EV 续航挑战 直播回放', '24 小时续航挑战全程回放。'],
  ['live', null, 'price', '澜山双十一购车节 直播回放', '限时礼遇与抽奖回放。'],
];

/** Materials made for the upcoming activities: created days before "now", so only recent events use them. */
const ACTIVITY_POSTERS: readonly MaterialRow[] = [
  ['poster', 'lanyue', 'driving', 'SUV 试驾周末邀请函', '本周末到浦东店试驾揽岳、凌峰、途遥，到店有礼。'],
  ['poster', 'qinglan_ev', 'energy', '新能源品鉴会邀请函', '青澜EV、澜影EV 静态品鉴与深度试驾。'],
];

export interface SeedMaterial extends MaterialDoc {
  /** Whether events from the whole past year may reference it. */
  evergreen: boolean;
}

export function materials(now: number): SeedMaterial[] {
  const rows: SeedMaterial[] = MATERIAL_ROWS.map(([kind, modelId, category, title, summary], i) => ({
    _id: `mat-${String(i + 1).padStart(3, '0')}`,
    title,
    kind,
    ...(modelId ? { modelId } : {}),
    category,
    summary,
    // Older than the oldest lead (18 months), so any event from then on may reference it.
    createdAt: now - (760 - 5 * i) * DAY,
    evergreen: true,
  }));
  ACTIVITY_POSTERS.forEach(([kind, modelId, category, title, summary], i) => {
    rows.push({
      _id: `mat-${String(MATERIAL_ROWS.length + i + 1).padStart(3, '0')}`,
      title,
      kind,
      ...(modelId ? { modelId } : {}),
      category,
      summary,
      createdAt: now - (3 - i) * DAY,
      evergreen: false,
    });
  });
  return rows;
}

/** The stored document, without generator-only fields. */
export function materialDoc(m: SeedMaterial): MaterialDoc {
  const { evergreen: _evergreen, ...doc } = m;
  return doc;
}

/** Start of the local (UTC+8) day containing t. */
export function dayStart(t: number): number {
  return Math.floor((t + CST) / DAY) * DAY - CST;
}

/** 0 = Sunday ... 6 = Saturday, local time. */
export function weekday(t: number): number {
  return (Math.floor((t + CST) / DAY) + 4) % 7;
}

/** Start of the first Saturday after the day of `now` (so never today). */
export function nextSaturday(now: number): number {
  const wd = weekday(now);
  const days = wd === 6 ? 7 : wd === 0 ? 6 : 6 - wd;
  return dayStart(now) + days * DAY;
}

export function activities(now: number): ActivityDoc[] {
  const sat = nextSaturday(now);
  return [
    {
      _id: 'act-suv-weekend',
      storeId: 'store-sh-pudong',
      title: 'SUV 试驾周末',
      description: '揽岳、凌峰、途遥全系 SUV 到店试驾，专业试驾路线，顾问一对一讲解。',
      modelLine: 'SUV',
      startAt: sat + 9.5 * HOUR,
      endAt: sat + DAY + 17.5 * HOUR,
      address: '上海市浦东新区龙东大道 3188 号',
      capacity: 120,
      perks: ['到店试驾送车载香氛', '当场订车享置换补贴 8000 元', '儿童游乐区与下午茶'],
    },
    {
      _id: 'act-nev-tasting',
      storeId: 'store-sz-sip',
      title: '新能源品鉴会',
      description: '青澜EV、澜影EV 静态品鉴与深度试驾，车主分享用车心得，现场解读置换国补政策。',
      modelLine: 'NEV',
      startAt: sat + DAY + 14 * HOUR,
      endAt: sat + DAY + 17 * HOUR,
      address: '苏州市工业园区星湖街 1299 号',
      capacity: 60,
      perks: ['到场送家充桩安装服务', '老车主推荐成交送 2000 元充电卡', '品鉴会专享订车礼'],
    },
    {
      _id: 'act-mpv-day',
      storeId: 'store-sh-jiading',
      title: '御宸商务品鉴日',
      description: '御宸 MPV 静态品鉴、二排航空座椅体验与商务接待路线试乘，企业客户专享购车政策。',
      modelLine: 'MPV',
      startAt: sat + 10 * HOUR,
      endAt: sat + 16 * HOUR,
      address: '上海市嘉定区安亭镇博园路 6688 号',
      capacity: 40,
      perks: ['到店试乘送定制商务礼盒', '企业客户专享金融方案', '现场订车送三年保养'],
    },
  ];
}

export const CAMPAIGNS = ['限时礼遇', '金秋购车节', '置换国补季', '新车上市', '家庭出行季', '年终钜惠'];

export const LIVE_TITLES: Record<ModelLine, readonly string[]> = {
  SUV: ['揽岳七座家庭季', '凌峰性能之夜', '途遥年轻派对', 'SUV 周末试驾直播'],
  sedan: ['云逸商务之选', '锐驰家轿课堂', '中型车横评直播'],
  MPV: ['御宸商务接待直播', 'MPV 二排舒适性实测'],
  NEV: ['青澜EV 续航挑战', '澜影EV 智驾体验', '新能源购车政策解读', '揽岳增程露营夜'],
};

export const BRAND_LIVE_TITLES = ['澜山双十一购车节', '澜山品牌之夜', '澜山老车主宠粉日'];

/** Store activities from the past year that customers signed up for (not stored: they are over). */
export const PAST_ACTIVITIES = [
  '揽岳七座家庭试驾日',
  '新能源周末品鉴会',
  '老车主置换专场',
  '澜山双十一购车节',
  '夏季免费空调检测',
  '云逸商务试驾会',
];

export const SURVEYS: Record<ModelLine, string> = {
  SUV: 'SUV 试驾意向问卷',
  sedan: '轿车购车需求问卷',
  MPV: 'MPV 商务用车需求问卷',
  NEV: '新能源用车需求问卷',
};

// ---------- each store's own library: invitations, mini-program cards and 话术 ----------

type StoreRow = readonly [suffix: string, kind: MaterialKind, modelId: string | null, category: string, title: string, summary: string, body?: string, activityId?: string];

/** Short store codes for the ids of store materials. */
const STORE_CODES: Record<string, string> = { 'store-sh-pudong': 'pd', 'store-sh-jiading': 'jd', 'store-sz-sip': 'sz' };

const SCRIPTS: readonly StoreRow[] = [
  ['s1', 'script', null, 'care', '首次联系开场白', '新线索第一次电话或企业微信问候。', '您好，我是{门店}的销售顾问{顾问}。看到您在关注我们的车型，想了解一下您平时用车主要是通勤还是家庭出游？我可以先把配置和最近的礼遇发给您参考。'],
  ['s2', 'script', null, 'event', '试驾邀约话术', '邀请客户到店试驾，给出两个时间选项。', '这周六我们店有专场试驾，专业路线、顾问一对一讲解，到店还有伴手礼。您看周六上午十点还是下午两点方便？我帮您预留车辆。'],
  ['s3', 'script', null, 'price', '价格异议回应', '客户觉得贵时，先认同再讲价值与礼遇。', '理解您对价格的考虑。同价位里这款车的安全配置和三电质保是最全的，本月置换还有补贴叠加厂家礼遇，我帮您算一下落地价，您看看是否合适？'],
  ['s4', 'script', null, 'care', '到店后回访', '到店或试驾后第二天的回访。', '昨天试驾感觉怎么样？您提到的后排空间和油耗，我整理了一份实测资料发您。如果还想对比其他版型，这周我都在店里。'],
  ['s5', 'script', null, 'care', '未接电话后的留言', '电话未接通后用企业微信补一句。', '您好，刚刚给您打电话没有接通，不打扰您工作。您方便的时候回我一句，我把您关心的车型资料和本月礼遇发给您。'],
];

const STORE_ROWS: Record<string, readonly StoreRow[]> = {
  'store-sh-pudong': [
    ['i1', 'invitation', 'lanyue', 'event', 'SUV 试驾周末 · 浦东店', '揽岳、凌峰、途遥全系 SUV 到店试驾，到店送车载香氛，当场订车享置换补贴 8000 元。', undefined, 'act-suv-weekend'],
    ['m1', 'miniprogram', 'lanyue', 'space', '揽岳 七座空间 360° 看车', '小程序里转一圈看三排空间，可直接预约试驾。'],
    ['p1', 'poster', 'qinglan_ev', 'price', '浦东店 青澜EV 本月置换礼', '置换国补叠加门店礼遇最高 2.5 万，名额有限。'],
  ],
  'store-sh-jiading': [
    ['i1', 'invitation', 'yuchen', 'event', '御宸商务品鉴日 · 嘉定店', '御宸 MPV 静态品鉴与商务接待体验，企业客户专享礼遇。', undefined, 'act-mpv-day'],
    ['m1', 'miniprogram', 'yuchen', 'space', '御宸 二排航空座椅 小程序看车', '小程序看二排零重力座椅，可预约到店体验。'],
    ['p1', 'poster', 'yunyi', 'price', '嘉定店 云逸 金融礼遇', '两年 0 息，首付低至 0 元。'],
  ],
  'store-sz-sip': [
    ['i1', 'invitation', 'qinglan_ev', 'event', '新能源品鉴会 · 苏州工业园区店', '青澜EV、澜影EV 深度试驾，现场解读置换国补政策，到场送家充桩安装服务。', undefined, 'act-nev-tasting'],
    ['m1', 'miniprogram', 'lanying_ev', 'energy', '澜影EV 续航计算器', '小程序里算一算通勤成本与续航，可预约试驾。'],
    ['p1', 'poster', 'lanying_ev', 'price', '苏州店 澜影EV 上市礼遇', '首任车主终身三电质保，订车送充电卡。'],
  ],
};

/** The id of a store's own material, e.g. `mat-pd-i1` (the invitation), `mat-sz-s2` (a script). */
export const storeMaterialId = (storeId: string, suffix: string) => `mat-${STORE_CODES[storeId]}-${suffix}`;

/** Each store's own materials and scripts (never referenced by past events: made this week). */
export function storeMaterials(now: number): MaterialDoc[] {
  return Object.entries(STORE_ROWS).flatMap(([storeId, rows]) =>
    [...rows, ...SCRIPTS].map(([suffix, kind, modelId, category, title, summary, body, activityId], i) => ({
      _id: storeMaterialId(storeId, suffix),
      title,
      kind,
      ...(modelId ? { modelId } : {}),
      category,
      summary,
      ...(body ? { body } : {}),
      ...(activityId ? { activityId } : {}),
      storeId,
      createdAt: now - (6 - (i % 5)) * DAY,
    })),
  );
}

/** The brand's care cards (保客关怀), each with its coupon: what birthday and holiday greetings send. */
export function careMaterials(now: number): MaterialDoc[] {
  return [
    { _id: 'mat-care-birthday', title: '生日快乐，感谢一路同行', kind: 'poster', category: 'care', summary: '生日礼遇：免费基础保养一次 + 精洗券一张，30天内到店使用。', createdAt: now - 30 * DAY },
    { _id: 'mat-care-holiday', title: '节日问候与车主专享礼', kind: 'poster', category: 'care', summary: '节日礼遇：到店免费检测 + 200元保养抵用券，节后30天内有效。', createdAt: now - 30 * DAY },
  ];
}

/**
 * An owner's birthday (`MM-DD`): from the customer's id, so the seed's random draws stay as
 * they were; one owner in 97 has their birthday on the seed's day, so the demo greets a few.
 */
export function birthdayOf(customerId: string, index: number, now: number): string {
  const day = (t: number) => new Date(dayStart(t) + CST);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (index % 97 === 0) return `${pad(day(now).getUTCMonth() + 1)}-${pad(day(now).getUTCDate())}`;
  let h = 0;
  for (let i = 0; i < customerId.length; i++) h = (h * 31 + customerId.charCodeAt(i)) >>> 0;
  const d = new Date(Date.UTC(2024, 0, 1) + (h % 365) * DAY);
  return `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}
