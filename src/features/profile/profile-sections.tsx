import type { ReactNode } from 'react';
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

const subjects: { subject: TagView['subject']; label: string }[] = [
  { subject: 'person', label: '人' },
  { subject: 'vehicle', label: '车' },
];

/** Tags grouped by subject (人/车); each shows its path from the top level down to the leaf. */
export function TagsSection({ tags }: { tags: TagView[] }) {
  return (
    <Section title='标签' extra={tags.length ? `${tags.length} 个` : undefined}>
      {tags.length === 0 ? (
        <Text className='sk-muted'>还没有标签</Text>
      ) : (
        subjects.map(({ subject, label }) => {
          const group = tags.filter((t) => t.subject === subject);
          if (group.length === 0) return null;
          return (
            <View key={subject} className='sk-kv'>
              <Text className='sk-kv__key sk-kv__key--subject'>{label}</Text>
              <View className='sk-kv__value sk-chips'>
                {group.map((tag) => {
                  const ancestors = tag.pathNames.slice(0, -1);
                  return (
                    <View key={tag.tagId} className='sk-tag'>
                      {ancestors.length ? <Text className='sk-tag__path'>{`${ancestors.join(' › ')} › `}</Text> : null}
                      <Text className='sk-tag__leaf'>{tag.pathNames[tag.pathNames.length - 1] ?? tag.name}</Text>
                    </View>
                  );
                })}
              </View>
            </View>
          );
        })
      )}
    </Section>
  );
}

export function StoresVisitedSection({ profile, now }: { profile: CustomerProfile; now: number }) {
  const visits = profile.storesVisited;
  const others = profile.otherStores;
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
      {others.length ? (
        <>
          <Text className='sk-visit__note'>集团其他门店（主机厂提供，客户已同意共享）</Text>
          {others.map((v) => (
            <View key={v.storeId} className='sk-visit'>
              <Text className='sk-visit__store'>{v.storeName}</Text>
              <Text className='sk-visit__detail'>{`${v.count} 次 · 最近 ${formatRelative(v.lastAt, now)}`}</Text>
            </View>
          ))}
        </>
      ) : null}
    </Section>
  );
}
