/**
 * The tag taxonomy as plain data (no code imports, no zod): two subjects (person 人, vehicle 车),
 * three levels. Customers carry leaf (level-3) tags; levels 1 and 2 group them. Ids are stable
 * ASCII built from the path (`intent-level-high`), so they survive renames of the Chinese names.
 * The scoring model's schema checks tags against it; `cloudfunctions/_core/catalog` re-exports
 * it with its look-ups.
 */
import { MODELS } from './car-models';

export type TagSubject = 'person' | 'vehicle';
export type TagLevel = 1 | 2 | 3;

export interface TagDef {
  id: string;
  name: string;
  level: TagLevel;
  /** null for level-1 tags. */
  parentId: string | null;
  subject: TagSubject;
}

type Leaf = readonly [slug: string, name: string];
interface Group {
  slug: string;
  name: string;
  leaves: readonly Leaf[];
}
interface Root {
  id: string;
  name: string;
  subject: TagSubject;
  groups: readonly Group[];
}

const months = Array.from({ length: 12 }, (_, i): Leaf => [`m${String(i + 1).padStart(2, '0')}`, `${i + 1}月生日`]);

const TREE: readonly Root[] = [
  {
    id: 'basic', name: '基础属性', subject: 'person',
    groups: [
      { slug: 'gender', name: '性别', leaves: [['male', '男'], ['female', '女']] },
      { slug: 'age', name: '年龄段', leaves: [['18_25', '18-25岁'], ['26_30', '26-30岁'], ['31_35', '31-35岁'], ['36_45', '36-45岁'], ['46_plus', '46岁及以上']] },
      { slug: 'city_tier', name: '城市级别', leaves: [['t1', '一线城市'], ['new_t1', '新一线城市'], ['t2', '二线城市'], ['t3_below', '三线及以下城市']] },
      { slug: 'family', name: '家庭结构', leaves: [['single', '单身'], ['couple', '二人世界'], ['kids', '有孩家庭'], ['two_kids', '二孩家庭'], ['three_gen', '三代同堂']] },
      { slug: 'occupation', name: '职业', leaves: [['white_collar', '企业白领'], ['business_owner', '私营业主'], ['civil_servant', '公务员/事业单位'], ['freelancer', '自由职业'], ['professional', '医生/律师/教师']] },
    ],
  },
  {
    id: 'intent', name: '购车意向', subject: 'person',
    groups: [
      { slug: 'level', name: '意向级别', leaves: [['high', '意向高'], ['medium', '意向中'], ['low', '意向低']] },
      { slug: 'horizon', name: '购车周期', leaves: [['d7', '7天内购车'], ['d15', '15天内购车'], ['d30', '30天内购车'], ['m3', '3个月内购车']] },
      { slug: 'budget', name: '预算区间', leaves: [['lt10', '10万以下'], ['10_15', '10-15万'], ['15_20', '15-20万'], ['20_30', '20-30万'], ['gt30', '30万以上']] },
      { slug: 'kind', name: '购车类型', leaves: [['first', '首购'], ['additional', '增购'], ['replace', '换购']] },
      { slug: 'signal', name: '意向行为', leaves: [['booked', '已预约试驾'], ['test_driven', '已试驾'], ['quoted', '已报价'], ['multi_store', '多店比价']] },
    ],
  },
  {
    id: 'power', name: '购买力', subject: 'person',
    groups: [
      { slug: 'level', name: '购买力等级', leaves: [['high', '购买力高'], ['medium', '购买力中'], ['low', '购买力低']] },
      { slug: 'assets', name: '资产特征', leaves: [['house', '有房'], ['car', '已有车辆'], ['luxury', '高端消费']] },
      { slug: 'finance', name: '金融偏好', leaves: [['full', '全款倾向'], ['loan', '贷款意向'], ['low_down', '偏好低首付'], ['zero_interest', '偏好零息']] },
    ],
  },
  {
    id: 'lifecycle', name: '生命周期', subject: 'person',
    groups: [
      { slug: 'stage', name: '客户阶段', leaves: [['lead', '线索'], ['prospect', '潜客'], ['owner', '保客']] },
      { slug: 'owner_phase', name: '车主阶段', leaves: [['new', '新车主(1年内)'], ['steady', '成熟车主(1-3年)'], ['veteran', '老车主(3年以上)']] },
      { slug: 'risk', name: '流失风险', leaves: [['warning', '流失预警'], ['dormant', '沉睡客户'], ['lost', '战败客户']] },
    ],
  },
  {
    id: 'behavior', name: '行为偏好', subject: 'person',
    groups: [
      {
        slug: 'focus', name: '关注点',
        leaves: [['space', '关注空间'], ['performance', '关注性能'], ['driving', '关注驾驶体验'], ['tech', '关注智能科技'], ['safety', '关注安全'], ['design', '关注外观设计'], ['energy', '关注能耗续航'], ['price', '价格敏感']],
      },
      { slug: 'content', name: '内容偏好', leaves: [['video', '偏好视频'], ['article', '偏好图文'], ['live', '偏好直播'], ['poster', '偏好活动海报']] },
      { slug: 'channel', name: '渠道偏好', leaves: [['vertical', '垂媒活跃'], ['short_video', '短视频直播活跃'], ['private', '私域活跃'], ['offline', '线下活跃']] },
      { slug: 'share', name: '社交传播', leaves: [['koc', '高分享(KOC)'], ['sharer', '偶尔分享'], ['referrer', '推荐过新客']] },
    ],
  },
  {
    id: 'activity', name: '活跃度', subject: 'person',
    groups: [
      { slug: 'level', name: '活跃等级', leaves: [['high', '高活跃'], ['medium', '中活跃'], ['low', '低活跃'], ['dormant', '沉睡']] },
      { slug: 'recency', name: '最近互动', leaves: [['d7', '7天内有互动'], ['d30', '30天内有互动'], ['d90', '90天内有互动'], ['gt90', '90天以上无互动']] },
      { slug: 'score', name: '行为评分', leaves: [['s80', '80分以上'], ['s60', '60-80分'], ['s40', '40-60分'], ['lt40', '40分以下']] },
      { slug: 'frequency', name: '互动频次', leaves: [['f10', '90天内10次以上'], ['f3', '90天内3-9次'], ['f1', '90天内1-2次']] },
    ],
  },
  {
    id: 'replace', name: '换购期', subject: 'person',
    groups: [
      { slug: 'window', name: '换购窗口', leaves: [['early', '非换购期(3年内)'], ['watch', '换购观察期(3-5年)'], ['peak', '换购高峰期(5-8年)'], ['overdue', '超期未换(8年以上)']] },
      { slug: 'need', name: '换购需求', leaves: [['replace', '有置换需求'], ['add', '有增购需求'], ['upgrade', '消费升级'], ['nev_switch', '油换电意向']] },
      { slug: 'tradein', name: '旧车置换', leaves: [['assessed', '已做置换评估'], ['subsidy', '关注置换补贴']] },
    ],
  },
  {
    id: 'care', name: '客户关怀', subject: 'person',
    groups: [
      { slug: 'birthday', name: '生日月份', leaves: months },
      { slug: 'benefit', name: '权益偏好', leaves: [['cash', '偏好现金优惠'], ['maintenance', '偏好保养权益'], ['accessories', '偏好精品礼包'], ['charging', '偏好充电权益']] },
      { slug: 'campaign', name: '活动参与', leaves: [['signed_up', '报名过活动'], ['attended', '到场过活动'], ['frequent', '多次参与活动']] },
    ],
  },
  {
    id: 'risk', name: '风险识别', subject: 'person',
    groups: [
      { slug: 'coupon', name: '羊毛党识别', leaves: [['suspected', '疑似羊毛党'], ['multi_signup', '多店重复报名'], ['perk_only', '只领权益不到店']] },
      { slug: 'contact', name: '沟通偏好', leaves: [['wecom', '偏好企微沟通'], ['phone', '偏好电话沟通'], ['no_disturb', '勿扰']] },
    ],
  },
  {
    id: 'vehicle_pref', name: '车型偏好', subject: 'vehicle',
    groups: [
      { slug: 'body', name: '车身类型', leaves: [['suv', '关注SUV'], ['sedan', '关注轿车'], ['mpv', '关注MPV']] },
      { slug: 'size', name: '车型级别', leaves: [['compact', '紧凑型'], ['midsize', '中型'], ['large', '中大型']] },
      { slug: 'seats', name: '座位数', leaves: [['s5', '5座'], ['s7', '7座']] },
      { slug: 'model', name: '关注车型', leaves: MODELS.map((m): Leaf => [m.id, `关注${m.name}`]) },
    ],
  },
  {
    id: 'vehicle_energy', name: '能源类型', subject: 'vehicle',
    groups: [
      { slug: 'type', name: '动力类型', leaves: [['ice', '燃油'], ['bev', '纯电'], ['erev', '增程']] },
      { slug: 'charging', name: '充电条件', leaves: [['home', '有家用充电桩'], ['public', '依赖公共充电'], ['none', '暂无充电条件']] },
    ],
  },
  {
    id: 'vehicle_status', name: '车辆状况', subject: 'vehicle',
    groups: [
      { slug: 'age', name: '车龄', leaves: [['y1', '1年内'], ['y1_3', '1-3年'], ['y3_5', '3-5年'], ['y5_8', '5-8年'], ['y8_plus', '8年以上']] },
      { slug: 'mileage', name: '行驶里程', leaves: [['lt10k', '1万公里内'], ['10k_30k', '1-3万公里'], ['30k_60k', '3-6万公里'], ['gt60k', '6万公里以上']] },
      { slug: 'warranty', name: '保修状态', leaves: [['in', '保修期内'], ['out', '已过保修期']] },
      { slug: 'service', name: '保养状态', leaves: [['on_time', '按时保养'], ['overdue', '保养逾期'], ['lapsed', '流失到外部维修']] },
    ],
  },
  {
    id: 'vehicle_config', name: '配置偏好', subject: 'vehicle',
    groups: [
      { slug: 'trim', name: '版型偏好', leaves: [['base', '入门版'], ['mid', '中配版'], ['top', '顶配版']] },
      { slug: 'drive', name: '驱动方式', leaves: [['fwd', '两驱'], ['awd', '四驱']] },
      { slug: 'color', name: '外观颜色', leaves: [['white', '白色'], ['black', '黑色'], ['gray', '灰色'], ['blue', '蓝色'], ['green', '绿色']] },
      { slug: 'adas', name: '智驾配置', leaves: [['l2', '关注L2辅助驾驶'], ['noa', '关注高阶智驾NOA'], ['parking', '关注自动泊车']] },
    ],
  },
];

function flatten(tree: readonly Root[]): TagDef[] {
  const out: TagDef[] = [];
  for (const root of tree) {
    out.push({ id: root.id, name: root.name, level: 1, parentId: null, subject: root.subject });
    for (const g of root.groups) {
      const gid = `${root.id}-${g.slug}`;
      out.push({ id: gid, name: g.name, level: 2, parentId: root.id, subject: root.subject });
      for (const [slug, name] of g.leaves) {
        out.push({ id: `${gid}-${slug}`, name, level: 3, parentId: gid, subject: root.subject });
      }
    }
  }
  return out;
}

/** Every tag, parents before children. */
export const TAGS: readonly TagDef[] = flatten(TREE);
