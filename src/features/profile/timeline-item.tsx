import { View, Text } from '@tarojs/components';
import type { TimelineItem } from '@/contract';
import { touchpointStyle } from '@/lib/labels';
import { formatRelative } from '@/lib/time';
import '@/styles/tones.scss';
import './timeline.scss';

/** One touchpoint: a coloured mark for its kind, what happened, where and when. */
export function TimelineEntry({ item, now }: { item: TimelineItem; now: number }) {
  const style = touchpointStyle[item.type];
  return (
    <View className='sk-tl__item'>
      <View className={`sk-tl__dot sk-tone-solid--${style.tone}`}>{style.glyph}</View>
      <View className='sk-tl__body'>
        <Text className='sk-tl__title'>{item.title}</Text>
        <View className='sk-tl__meta'>
          <Text className={`sk-tl__kind sk-tone--${style.tone}`}>{style.label}</Text>
          <Text className='sk-tl__source'>{item.sourceName}</Text>
          <Text className='sk-tl__time'>{formatRelative(item.at, now)}</Text>
        </View>
      </View>
    </View>
  );
}

/** A run of glances folded into one line; a tap lists them. */
export function GlanceGroup({ items, now, open, onToggle }: { items: TimelineItem[]; now: number; open: boolean; onToggle: () => void }) {
  const style = touchpointStyle.content_view;
  const newest = items[0];
  return (
    <View className='sk-tl__item sk-tl__item--glances'>
      <View className={`sk-tl__dot sk-tone-solid--${style.tone}`}>{style.glyph}</View>
      <View className='sk-tl__body'>
        <View className='sk-tl__fold' onClick={onToggle}>
          <Text className='sk-tl__title'>{`快速浏览了 ${items.length} 篇内容，每篇不到15秒`}</Text>
          <Text className='sk-tl__toggle'>{open ? '收起' : '展开'}</Text>
        </View>
        <View className='sk-tl__meta'>
          <Text className={`sk-tl__kind sk-tone--${style.tone}`}>{style.label}</Text>
          <Text className='sk-tl__time'>{formatRelative(newest.at, now)}</Text>
        </View>
        {open ? (
          <View className='sk-tl__glances'>
            {items.map((item) => (
              <View key={item.id} className='sk-tl__glance'>
                <Text className='sk-tl__glance-title'>{item.title}</Text>
                <Text className='sk-tl__glance-meta'>{`${item.sourceName} · ${formatRelative(item.at, now)}`}</Text>
              </View>
            ))}
          </View>
        ) : null}
      </View>
    </View>
  );
}
