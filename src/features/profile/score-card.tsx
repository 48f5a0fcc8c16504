import { View, Text } from '@tarojs/components';
import type { ScoreView } from '@/contract';
import './profile.scss';

function Bar({ label, value, total }: { label: string; value: number; total: number }) {
  const width = total > 0 ? Math.max(4, Math.round((value / total) * 100)) : 0;
  return (
    <View className='sk-score__part'>
      <Text className='sk-score__part-label'>{label}</Text>
      <View className='sk-score__bar'>
        <View className='sk-score__fill' style={{ width: `${width}%` }} />
      </View>
      <Text className='sk-score__part-value'>{String(value)}</Text>
    </View>
  );
}

/** Why work this customer now: the score, what it is made of, and its reasons and penalties. */
export function ScoreCard({ score }: { score?: ScoreView }) {
  if (!score) {
    return (
      <View className='sk-card sk-score'>
        <Text className='sk-section__title'>线索评分</Text>
        <Text className='sk-muted sk-score__none'>还没有评分：有互动后会自动计算</Text>
      </View>
    );
  }
  return (
    <View className='sk-card sk-score'>
      <View className='sk-score__top'>
        <View className='sk-score__total'>
          <Text className='sk-score__number'>{String(score.total)}</Text>
          <Text className='sk-score__caption'>线索评分</Text>
        </View>
        <View className='sk-score__parts'>
          <Bar label='匹配度' value={score.fit} total={score.total} />
          <Bar label='活跃度' value={score.engagement} total={score.total} />
        </View>
      </View>
      {score.reasons.length || score.penalties.length ? (
        <View className='sk-score__reasons'>
          {score.reasons.map((reason) => (
            <View key={`+${reason}`} className='sk-score__reason'>
              <Text className='sk-score__mark sk-score__mark--up'>+</Text>
              <Text className='sk-score__text'>{reason}</Text>
            </View>
          ))}
          {score.penalties.map((penalty) => (
            <View key={`-${penalty}`} className='sk-score__reason sk-score__reason--down'>
              <Text className='sk-score__mark sk-score__mark--down'>−</Text>
              <Text className='sk-score__text'>{penalty}</Text>
            </View>
          ))}
        </View>
      ) : (
        <Text className='sk-muted'>暂无加分项</Text>
      )}
    </View>
  );
}
