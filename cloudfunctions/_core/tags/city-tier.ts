/**
 * City tier (城市级别) as the trade press ranks Chinese cities (一线 / 新一线 / 二线, after the
 * 2024 新一线城市 list); every other named city is 三线及以下. County-level cities count as
 * their own tier (昆山 is 三线及以下 although it belongs to 苏州).
 */
import type { CityTier } from '../../../types/catalog';

export { CITY_TIERS } from '../../../types/catalog';
export type { CityTier } from '../../../types/catalog';

export const CITY_TIER_NAMES: Readonly<Record<CityTier, string>> = {
  t1: '一线城市',
  new_t1: '新一线城市',
  t2: '二线城市',
  t3_below: '三线及以下城市',
};

const T1 = ['北京', '上海', '广州', '深圳'];
const NEW_T1 = ['成都', '杭州', '重庆', '武汉', '苏州', '西安', '南京', '长沙', '天津', '郑州', '东莞', '无锡', '宁波', '青岛', '合肥'];
const T2 = [
  '佛山', '沈阳', '昆明', '济南', '厦门', '福州', '温州', '大连', '哈尔滨', '长春', '泉州', '石家庄', '南宁', '金华', '贵阳',
  '南昌', '常州', '嘉兴', '珠海', '南通', '惠州', '太原', '中山', '徐州', '绍兴', '台州', '烟台', '兰州', '潍坊', '临沂',
];

const TIER_BY_CITY = new Map<string, CityTier>([
  ...T1.map((c): [string, CityTier] => [c, 't1']),
  ...NEW_T1.map((c): [string, CityTier] => [c, 'new_t1']),
  ...T2.map((c): [string, CityTier] => [c, 't2']),
]);

/** Tier of a city name (上海 or 上海市); undefined when no city is known. */
export function cityTier(city: string): CityTier | undefined {
  const name = city.trim().replace(/市$/, '');
  if (!name) return undefined;
  return TIER_BY_CITY.get(name) ?? 't3_below';
}

/** The 城市级别 tag of a tier. */
export function cityTierTag(tier: CityTier): string {
  return `basic-city_tier-${tier}`;
}
