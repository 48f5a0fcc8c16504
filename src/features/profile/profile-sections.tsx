import { useState, type ReactNode } from 'react';
import { View, Text } from '@tarojs/components';
import type { CustomerProfile, TagView } from '@/contract';
import { formatDate, formatRelative } from '@/lib/time';
import './profile.scss';

export function Section({ title, extra, children }: { title: string; extra?: string; children: ReactNode }) {
  return (
    <View className='sk-card sk-section'>
      <View className='sk-section__head'>
        <Text className='sk-section__title'>{title}</Text>
        {extra ? <Text className='sk-section__extra'>{extra}</Text> : null}
      </View>
      {children}
    </View>
  );
}

export function VehiclesSection({ profile }: { profile: CustomerProfile }) {
  const { vehiclesOfInterest, vehiclesOwned } = profile;
  return (
    <Section title='车辆'>
      <View className='sk-kv'>
        <Text className='sk-kv__key'>意向车型</Text>
        <View className='sk-kv__value sk-chips'>
          {vehiclesOfInterest.length === 0 ? (
            <Text className='sk-muted'>暂无</Text>
          ) : (
            vehiclesOfInterest.map((v) => (
              <Text key={v.modelId} className='sk-kv-chip sk-kv-chip--brand'>
                {v.name}
              </Text>
            ))
          )}
        </View>
      </View>
      <View className='sk-kv'>
        <Text className='sk-kv__key'>已购车辆</Text>
        <View className='sk-kv__value'>
          {vehiclesOwned.length === 0 ? (
            <Text className='sk-muted'>暂无</Text>
          ) : (
            vehiclesOwned.map((v) => (
              <Text key={`${v.modelId}-${v.purchasedAt}`} className='sk-owned'>
                {`${v.name}（${formatDate(v.purchasedAt)}购车）`}
              </Text>
            ))
          )}
        </View>
      </View>
    </Section>
  );
}

/**
 * The tag groups a consultant acts on, in the order they matter: how keen and how soon, what
 * happened, risks, budget and power, the car they want. Everything else is folded away.
 */
const KEY_GROUPS = [
  'intent-level',
  'intent-horizon',
  'intent-signal',
  'lifecycle-risk',
  'risk-coupon',
  'replace-need',
  'replace-window',
  'intent-budget',
  'intent-kind',
  'power-level',
  'vehicle_pref-model',
  'vehicle_energy-type',
  'risk-contact',
];
const KEY_LIMIT = 8;

const groupOf = (tagId: string) => tagId.slice(0, tagId.lastIndexOf('-'));
const leafName = (tag: TagView) => tag.pathNames[tag.pathNames.length - 1] ?? tag.name;

/** The tags that matter first; the rest, by their top-level group, one tap away. */
export function TagsSection({ tags }: { tags: TagView[] }) {
  const [open, setOpen] = useState(false);
  const rank = (t: TagView) => KEY_GROUPS.indexOf(groupOf(t.tagId));
  const key = tags.filter((t) => rank(t) >= 0).sort((a, b) => rank(a) - rank(b)).slice(0, KEY_LIMIT);
  const keyIds = new Set(key.map((t) => t.tagId));
  const rest = tags.filter((t) => !keyIds.has(t.tagId));
  const byTop = new Map<string, TagView[]>();
  for (const t of rest) byTop.set(t.pathNames[0] ?? '其他', [...(byTop.get(t.pathNames[0] ?? '其他') ?? []), t]);
  return (
    <Section title='标签' extra={tags.length ? `${tags.length} 个` : undefined}>
      {tags.length === 0 ? (
        <Text className='sk-muted'>还没有标签</Text>
      ) : (
        <View>
          {key.length ? (
            <View className='sk-chips sk-tags__key'>
              {key.map((tag) => (
                <Text key={tag.tagId} className='sk-tag sk-tag--key'>
                  {leafName(tag)}
                </Text>
              ))}
            </View>
          ) : null}
          {rest.length ? (
            <View className='sk-tags__more' onClick={() => setOpen(!open)}>
              <Text>{open ? '收起其余标签' : `其余 ${rest.length} 个标签`}</Text>
              <Text className='sk-tags__caret'>{open ? '▴' : '▾'}</Text>
            </View>
          ) : null}
          {open
            ? [...byTop].map(([top, group]) => (
                <View key={top} className='sk-kv sk-tags__row'>
                  <Text className='sk-kv__key'>{top}</Text>
                  <Text className='sk-kv__value sk-tags__names'>{group.map(leafName).join(' · ')}</Text>
                </View>
              ))
            : null}
        </View>
      )}
    </Section>
  );
}

export function StoresVisitedSection({ profile, now }: { profile: CustomerProfile; now: number }) {
  const visits = profile.storesVisited;
  const total = visits.reduce((sum, v) => sum + v.count, 0);
  return (
    <Section title='到店记录' extra={total ? `共 ${total} 次` : undefined}>
      {visits.length === 0 ? (
        <Text className='sk-muted'>还没有到过店</Text>
      ) : (
        visits.map((v) => (
          <View key={v.storeId} className='sk-visit'>
            <Text className='sk-visit__store'>{v.storeName}</Text>
            <Text className='sk-visit__detail'>{`${v.count} 次 · 最近 ${formatRelative(v.lastAt, now)}`}</Text>
          </View>
        ))
      )}
    </Section>
  );
}
