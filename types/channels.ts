/**
 * Where customers come from and where touchpoints happen (plain data: the functions' catalog and
 * the app's audience editor read the same list). The same ids serve as a customer's
 * `sourceChannel` and as an event's `source`.
 */
import type { ChannelKind } from './catalog';

export interface Channel {
  id: string;
  name: string;
  kind: ChannelKind;
  /** Whether leads from this channel are bought or collected by the OEM and handed down to stores. */
  oemDistributed: boolean;
}

export const CHANNELS: readonly Channel[] = [
  { id: 'autohome', name: '汽车之家', kind: 'vertical', oemDistributed: true },
  { id: 'dongchedi', name: '懂车帝', kind: 'vertical', oemDistributed: true },
  { id: 'yiche', name: '易车', kind: 'vertical', oemDistributed: true },
  { id: 'baidu', name: '百度', kind: 'media', oemDistributed: true },
  { id: 'xiaohongshu', name: '小红书', kind: 'media', oemDistributed: true },
  { id: 'douyin', name: '抖音', kind: 'media', oemDistributed: true },
  { id: 'douyin_live', name: '抖音直播', kind: 'live', oemDistributed: true },
  { id: 'channels_live', name: '视频号直播', kind: 'live', oemDistributed: false },
  { id: 'miniprogram', name: '小程序', kind: 'owned', oemDistributed: false },
  { id: 'wecom', name: '企业微信', kind: 'owned', oemDistributed: false },
  { id: 'app', name: '澜山App', kind: 'owned', oemDistributed: true },
  { id: 'website', name: '官网', kind: 'owned', oemDistributed: true },
  { id: 'store', name: '门店', kind: 'offline', oemDistributed: false },
  { id: 'referral', name: '车主推荐', kind: 'offline', oemDistributed: false },
  { id: 'hotline', name: '400热线', kind: 'offline', oemDistributed: true },
  { id: 'phone', name: '电话', kind: 'offline', oemDistributed: false },
];

