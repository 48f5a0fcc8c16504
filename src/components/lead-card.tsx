import { View, Text } from '@tarojs/components';
import { UNGRADED_LABEL, type LeadSummary, type SlaState } from '@/contract';
import { gradeTone, slaTone, stageLabel, stageTone, touchpointStyle } from '@/lib/labels';
import { formatRelative } from '@/lib/time';
import { Badge } from './badge';
import '../styles/tones.scss';
import './lead-card.scss';

const CHIP_STATES: ReadonlySet<SlaState> = new Set(['pending', 'due_soon', 'overdue']);

interface LeadCardProps {
  lead: LeadSummary;
  /** Epoch ms the relative times are measured from. */
  now: number;
  /** Managers see whose lead it is (in place of the phone). */
  showOwner?: boolean;
  onTap: (lead: LeadSummary) => void;
  /** One action on the card itself, e.g. 领取 in the pool; it does not open the lead. */
  action?: { label: string; busy?: boolean; onPress: (lead: LeadSummary) => void };
}


/**
 * The SLA label cut to fit a chip: 已超时2小时，请尽快联系 -> 已超时2小时; 即将超时，剩余40分钟 ->
 * 首联剩余40分钟; 剩余20小时 -> 首联剩余20小时.
 */
export function slaChipText(sla: { state: SlaState; label: string }): string {
  const parts = sla.label.split('，');
  if (sla.state === 'overdue') return parts[0];
  const left = parts[parts.length - 1];
  return left.startsWith('剩余') ? `首联${left}` : left;
}

function GradeMark({ lead }: { lead: LeadSummary }) {
  if (!lead.grade) {
    return (
      <View className='sk-lead__grade'>
        <Text className='sk-lead__mark sk-lead__mark--none'>–</Text>
        <Text className='sk-lead__mark-note'>{UNGRADED_LABEL}</Text>
      </View>
    );
  }
  // The consultant's own judgement is solid; the score's suggestion only outlined.
  const suggested = lead.gradeSource === 'score';
  return (
    <View className='sk-lead__grade'>
      <Text className={`sk-lead__mark sk-lead__mark--${lead.grade}${suggested ? ' sk-lead__mark--suggested' : ''}`}>{lead.grade}</Text>
      <Text className='sk-lead__mark-note'>{suggested ? '建议' : '已定级'}</Text>
    </View>
  );
}

export function LeadCard({ lead, now, showOwner = false, onTap, action }: LeadCardProps) {
  const touch = lead.lastTouch;
  const style = touch ? touchpointStyle[touch.type] : undefined;
  // The card has room for what still needs doing: a met or late first contact gets no chip.
  const sla = lead.sla && CHIP_STATES.has(lead.sla.state) ? lead.sla : undefined;
  const when = formatRelative(touch?.at ?? lead.lastActivityAt, now);
  const tone = lead.grade ? gradeTone[lead.grade] : 'gray';
  return (
    <View className='sk-lead' hoverClass='sk-lead--pressed' onClick={() => onTap(lead)}>
      <GradeMark lead={lead} />
      <View className='sk-lead__body'>
        <View className='sk-lead__head'>
          <Text className='sk-lead__name'>{lead.name}</Text>
          <Badge tone={stageTone[lead.stage]}>{stageLabel[lead.stage]}</Badge>
          {sla ? (
            <Text className={`sk-lead__chip sk-lead__sla sk-lead__sla--${sla.state} sk-tone${sla.state === 'overdue' ? '-solid' : ''}--${slaTone[sla.state]}`}>
              {slaChipText(sla)}
            </Text>
          ) : null}
          {lead.recycledLabel ? <Text className='sk-lead__chip sk-lead__recycled sk-tone--gray'>回收</Text> : null}
          {lead.campaign ? <Text className='sk-lead__chip sk-lead__oem sk-tone--purple'>主机厂</Text> : null}
          {lead.score !== undefined ? (
            <View className={`sk-lead__score sk-lead__score--${tone}`}>
              <Text className='sk-lead__score-num'>{String(lead.score)}</Text>
              <Text className='sk-lead__score-unit'>分</Text>
            </View>
          ) : null}
        </View>
        <Text className={`sk-lead__reason${lead.reason ? '' : ' sk-lead__reason--none'}`}>
          {lead.reason ?? lead.recycledLabel ?? '暂无评分依据'}
        </Text>

        <View className='sk-lead__meta'>
          <Text className='sk-lead__touch'>
            {[...(lead.campaign ? [lead.campaign] : []), lead.vehicleOfInterest?.name ?? '暂无意向车型', style ? `${style.label} ${when}` : when].join(' · ')}
          </Text>
          {showOwner ? (
            <Text className='sk-lead__owner'>{lead.owner ? `顾问：${lead.owner.name}` : '未分配'}</Text>
          ) : (
            <Text className='sk-lead__phone'>{lead.phoneMasked}</Text>
          )}
        </View>
      </View>
      {action ? (
        <View
          className={`sk-lead__action${action.busy ? ' sk-lead__action--busy' : ''}`}
          onClick={(e) => {
            e.stopPropagation();
            if (!action.busy) action.onPress(lead);
          }}
        >
          {action.busy ? '领取中' : action.label}
        </View>
      ) : null}
    </View>
  );
}
