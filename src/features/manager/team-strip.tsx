import { View, Text } from '@tarojs/components';
import type { TeamMember } from '@/contract';
import type { CloudError } from '@/services/cloud-error';
import type { LoadStatus } from '@/stores/paged';

interface TeamStripProps {
  team: TeamMember[];
  status: LoadStatus;
  error?: CloudError;
  /** The consultant the table is narrowed to. */
  activeId?: string;
  onPick: (member: TeamMember) => void;
  onRetry: () => void;
}

/** Share of capacity in use, 0-100, for the load bar. */
export const loadPercent = (m: TeamMember): number => (m.capacity > 0 ? Math.min(100, Math.round((m.activeLeads / m.capacity) * 100)) : 100);

/** Each consultant's load at a glance: tap one to see their leads. */
export function TeamStrip({ team, status, error, activeId, onPick, onRetry }: TeamStripProps) {
  if (team.length === 0) {
    if (status === 'error') {
      return (
        <View className='sk-team sk-team--note' role='alert'>
          <Text>顾问负载没加载出来：{error?.userMessage ?? '请稍后再试'}</Text>
          <Text className='sk-team__retry' onClick={onRetry}>
            重试
          </Text>
        </View>
      );
    }
    if (status === 'ready') return <View className='sk-team sk-team--note'>门店还没有在岗的销售顾问</View>;
    return <View className='sk-team sk-team--note'>正在加载顾问负载…</View>;
  }
  return (
    <View className='sk-team'>
      {team.map((m) => {
        const percent = loadPercent(m);
        const level = percent >= 100 ? 'full' : percent >= 85 ? 'high' : 'ok';
        return (
          <View
            key={m.id}
            className={`sk-team__member${activeId === m.id ? ' sk-team__member--on' : ''}`}
            data-member={m.id}
            onClick={() => onPick(m)}
          >
            <View className='sk-team__top'>
              <Text className='sk-team__name'>{m.name}</Text>
              <Text className='sk-team__load'>{`在跟 ${m.activeLeads} / 上限 ${m.capacity}`}</Text>
            </View>
            <View className='sk-team__bar' aria-label={`负载 ${percent}%`}>
              <View className={`sk-team__fill sk-team__fill--${level}`} style={{ width: `${percent}%` }} />
            </View>
            <View className='sk-team__stats'>
              <Text className='sk-team__today'>今日新增 {m.receivedToday}</Text>
              <Text className={`sk-team__overdue${m.overdue > 0 ? ' sk-team__overdue--bad' : ''}`}>超时 {m.overdue}</Text>
            </View>
          </View>
        );
      })}
    </View>
  );
}
