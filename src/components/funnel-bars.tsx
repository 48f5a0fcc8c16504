import { View, Text } from '@tarojs/components';
import type { FunnelView } from '@/contract';
import './funnel-bars.scss';

/**
 * A funnel drawn as horizontal bars (plain views, no chart library: docs/decisions/0018-charts-as-plain-bars.md):
 * each step's count, its width against the first step, and its rate from the step before.
 */
export function FunnelBars({ funnel, compact = false }: { funnel: FunnelView; compact?: boolean }) {
  const first = funnel.steps[0]?.count ?? 0;
  return (
    <View className={`sk-funnel${compact ? ' sk-funnel--compact' : ''}`} aria-label={`${funnel.label}漏斗`}>
      {funnel.steps.map((s, i) => (
        <View key={s.key} className='sk-funnel__row'>
          <Text className='sk-funnel__label'>{s.label}</Text>
          <View className='sk-funnel__track'>
            <View className={`sk-funnel__bar sk-funnel__bar--${i}`} style={{ width: `${first ? Math.max(2, (s.count / first) * 100) : 0}%` }} />
          </View>
          <Text className='sk-funnel__count'>{s.count}</Text>
          <Text className='sk-funnel__rate'>{i === 0 ? '' : `${s.rateFromPrevious}%`}</Text>
        </View>
      ))}
    </View>
  );
}
