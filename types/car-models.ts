/**
 * The (fictional) brand's car models, the catalog's reference data as plain data (no code, no
 * zod): the tag taxonomy's 关注车型 leaves are made from it, and `cloudfunctions/_core/catalog`
 * re-exports it with its look-ups. Prices are in 万元 on the model and in yuan on each trim
 * (what quotes and orders carry).
 */
import type { ModelLine } from './catalog';

export type BodyType = 'suv' | 'sedan' | 'mpv' | 'hatchback';
/** ice: 燃油, bev: 纯电, erev: 增程. */
export type EnergyType = 'ice' | 'bev' | 'erev';

export interface Trim {
  name: string;
  /** Manufacturer's suggested retail price, yuan. */
  price: number;
}

export interface CarModel {
  id: string;
  /** Short Chinese name used in conversation and in the timeline, e.g. 揽岳. */
  name: string;
  /** Brand + name, e.g. 澜山揽岳 (ads and orders use it). */
  fullName: string;
  line: ModelLine;
  body: BodyType;
  /** Chinese segment as the auto sites write it, e.g. 中大型SUV. */
  segment: string;
  seats: number;
  energy: EnergyType;
  /** Headline powertrain, e.g. 2.0T or 纯电 620km. */
  powertrain: string;
  /** Price range in 万元. */
  priceMin: number;
  priceMax: number;
  /** Year the line went on sale (nobody owns one bought earlier). */
  since: number;
  trims: Trim[];
}

export const MODELS: readonly CarModel[] = [
  {
    id: 'lanyue', name: '揽岳', fullName: '澜山揽岳', line: 'SUV', body: 'suv', segment: '中大型SUV',
    seats: 7, energy: 'ice', powertrain: '2.0T', priceMin: 18.98, priceMax: 25.98, since: 2018,
    trims: [
      { name: '2.0T 两驱豪华版', price: 189800 },
      { name: '2.0T 两驱尊贵版', price: 215800 },
      { name: '2.0T 四驱旗舰版', price: 259800 },
    ],
  },
  {
    id: 'tuyao', name: '途遥', fullName: '澜山途遥', line: 'SUV', body: 'suv', segment: '紧凑型SUV',
    seats: 5, energy: 'ice', powertrain: '1.5T', priceMin: 11.99, priceMax: 15.99, since: 2017,
    trims: [
      { name: '1.5T 舒适版', price: 119900 },
      { name: '1.5T 豪华版', price: 136900 },
      { name: '1.6T 运动版', price: 159900 },
    ],
  },
  {
    id: 'lingfeng', name: '凌峰', fullName: '澜山凌峰', line: 'SUV', body: 'suv', segment: '中型SUV',
    seats: 5, energy: 'ice', powertrain: '2.0T', priceMin: 15.98, priceMax: 20.98, since: 2019,
    trims: [
      { name: '2.0T 进取版', price: 159800 },
      { name: '2.0T 领航版', price: 182800 },
      { name: '2.0T 四驱性能版', price: 209800 },
    ],
  },
  {
    id: 'yunyi', name: '云逸', fullName: '澜山云逸', line: 'sedan', body: 'sedan', segment: '中型车',
    seats: 5, energy: 'ice', powertrain: '2.0T', priceMin: 14.98, priceMax: 19.98, since: 2017,
    trims: [
      { name: '1.5T 精英版', price: 149800 },
      { name: '2.0T 豪华版', price: 172800 },
      { name: '2.0T 旗舰版', price: 199800 },
    ],
  },
  {
    id: 'ruichi', name: '锐驰', fullName: '澜山锐驰', line: 'sedan', body: 'sedan', segment: '紧凑型车',
    seats: 5, energy: 'ice', powertrain: '1.5T', priceMin: 8.99, priceMax: 12.99, since: 2016,
    trims: [
      { name: '1.5L 手动舒适版', price: 89900 },
      { name: '1.5T 自动豪华版', price: 109900 },
      { name: '1.5T 自动运动版', price: 129900 },
    ],
  },
  {
    id: 'yuchen', name: '御宸', fullName: '澜山御宸', line: 'MPV', body: 'mpv', segment: '中大型MPV',
    seats: 7, energy: 'ice', powertrain: '2.0T', priceMin: 22.98, priceMax: 32.98, since: 2020,
    trims: [
      { name: '2.0T 商务版', price: 229800 },
      { name: '2.0T 尊享版', price: 279800 },
      { name: '2.0T 行政旗舰版', price: 329800 },
    ],
  },
  {
    id: 'qinglan_ev', name: '青澜EV', fullName: '澜山青澜EV', line: 'NEV', body: 'suv', segment: '纯电中型SUV',
    seats: 5, energy: 'bev', powertrain: '纯电 620km', priceMin: 18.98, priceMax: 24.98, since: 2022,
    trims: [
      { name: '550km 标准续航版', price: 189800 },
      { name: '620km 长续航版', price: 216800 },
      { name: '600km 四驱性能版', price: 249800 },
    ],
  },
  {
    id: 'lanyue_erev', name: '揽岳增程', fullName: '澜山揽岳增程版', line: 'NEV', body: 'suv', segment: '增程中大型SUV',
    seats: 7, energy: 'erev', powertrain: '1.5T 增程', priceMin: 23.98, priceMax: 28.98, since: 2023,
    trims: [
      { name: '增程 Pro 版', price: 239800 },
      { name: '增程 Max 版', price: 262800 },
      { name: '增程 四驱 Ultra 版', price: 289800 },
    ],
  },
  {
    id: 'lanying_ev', name: '澜影EV', fullName: '澜山澜影EV', line: 'NEV', body: 'sedan', segment: '纯电中型车',
    seats: 5, energy: 'bev', powertrain: '纯电 700km', priceMin: 16.98, priceMax: 22.98, since: 2022,
    trims: [
      { name: '560km 智享版', price: 169800 },
      { name: '700km 智驾版', price: 199800 },
      { name: '650km 四驱性能版', price: 229800 },
    ],
  },
  {
    id: 'yunyi_erev', name: '云逸增程', fullName: '澜山云逸增程版', line: 'NEV', body: 'sedan', segment: '增程中型车',
    seats: 5, energy: 'erev', powertrain: '1.5L 增程', priceMin: 15.98, priceMax: 19.98, since: 2024,
    trims: [
      { name: '增程 120km 领先版', price: 159800 },
      { name: '增程 200km 豪华版', price: 179800 },
      { name: '增程 200km 旗舰版', price: 199800 },
    ],
  },
];
