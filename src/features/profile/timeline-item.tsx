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
