import { View, Text } from '@tarojs/components';
import type { LeadSummary } from '@/contract';
import { touchpointStyle } from '@/lib/labels';
import { formatRelative } from '@/lib/time';
import { GradeBadge, StageBadge } from './customer-badges';
import '../styles/tones.scss';
import './lead-card.scss';

interface LeadCardProps {
  lead: LeadSummary;
  /** Epoch ms the relative times are measured from. */
  now: number;
  /** Managers see whose lead it is. */
  showOwner?: boolean;
  onTap: (lead: LeadSummary) => void;
  /** One action on the card itself, e.g. 领取 in the pool; it does not open the lead. */
  action?: { label: string; busy?: boolean; onPress: (lead: LeadSummary) => void };
}

export function LeadCard({ lead, now, showOwner = false, onTap, action }: LeadCardProps) {
  const touch = lead.lastTouch;
  const style = touch ? touchpointStyle[touch.type] : undefined;
  return (
    <View className='sk-lead' hoverClass='sk-lead--pressed' onClick={() => onTap(lead)}>
      <View className='sk-lead__head'>
        <Text className='sk-lead__name'>{lead.name}</Text>
        <StageBadge stage={lead.stage} />
        {lead.grade ? <GradeBadge grade={lead.grade} /> : null}
        <Text className='sk-lead__time'>{formatRelative(touch?.at ?? lead.lastActivityAt, now)}</Text>
      </View>
      <View className='sk-lead__meta'>
        <Text className='sk-lead__vehicle'>{lead.vehicleOfInterest ? `意向 ${lead.vehicleOfInterest.name}` : '暂无意向车型'}</Text>
        <Text className='sk-lead__phone'>{lead.phoneMasked}</Text>
      </View>
      {touch && style ? (
        <View className='sk-lead__touch'>
          <Text className={`sk-lead__type sk-tone--${style.tone}`}>{style.label}</Text>
          <Text className='sk-lead__summary'>{touch.summary}</Text>
        </View>
      ) : null}
      {action ? (
        <View
          className={`sk-lead__action${action.busy ? ' sk-lead__action--busy' : ''}`}
          onClick={(e) => {
            e.stopPropagation();
            if (!action.busy) action.onPress(lead);
          }}
        >
          {action.busy ? '处理中…' : action.label}
        </View>
      ) : null}
      {showOwner ? (
        <Text className='sk-lead__owner'>{lead.owner ? `顾问：${lead.owner.name}` : '未分配顾问'}</Text>
      ) : null}
    </View>
  );
}
