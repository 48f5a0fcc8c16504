import { View, Text } from '@tarojs/components';
import { GRADE_LABELS, UNGRADED_LABEL, type LeadSummary, type SlaState } from '@/contract';
import { gradeTone, slaTone, stageLabel, stageTone, type Tone } from '@/lib/labels';
import { formatRelative } from '@/lib/time';
import { slaChipText } from '@/components/lead-card';
import type { RowOutcome } from '@/stores/manager-assign-store';
import '../../styles/tones.scss';

// A wide table of many rows: pending stays quiet (gray) so due-soon and overdue stand out.
const tableSlaTone: Record<SlaState, Tone> = { ...slaTone, pending: 'gray' };

/** A checkbox drawn small but tapped as a finger: the box sits in a 44 px hit area. */
function Check({ on, label, onToggle }: { on: boolean; label: string; onToggle: () => void }) {
  return (
    <View
      className={`sk-check${on ? ' sk-check--on' : ''}`}
      role='checkbox'
      aria-checked={on}
      aria-label={label}
      onClick={(e) => {
        e.stopPropagation();
        onToggle();
      }}
    >
      <View className='sk-check__box'>{on ? '✓' : ''}</View>
    </View>
  );
}

/** What a cell is, said on a phone, where the rows are cards and the header row is not shown. */
const Label = ({ children }: { children: string }) => <Text className='sk-asg__label-phone'>{children}</Text>;

const Tag = ({ tone, children }: { tone: Tone; children: string }) => <Text className={`sk-asg__tag sk-tone--${tone}`}>{children}</Text>;

interface LeadTableProps {
  rows: LeadSummary[];
  selected: string[];
  outcomes: Record<string, RowOutcome>;
  now: number;
  busy: boolean;
  onToggle: (id: string) => void;
  onToggleAll: () => void;
  onReassign: (lead: LeadSummary) => void;
  onOpen: (lead: LeadSummary) => void;
}

/**
 * The store's leads as rows of a table on a wide screen; on a phone each row is a card with the
 * same cells (name, grade, score, owner, first contact, 改派 first), so nothing scrolls sideways.
 */
export function LeadTable({ rows, selected, outcomes, now, busy, onToggle, onToggleAll, onReassign, onOpen }: LeadTableProps) {
  const allOn = rows.length > 0 && rows.every((r) => selected.includes(r.id));
  return (
    <View className='sk-asg__scroll'>
      <View className='sk-asg__table' role='table'>
        <View className='sk-asg__row sk-asg__row--head' role='row'>
          <View className='sk-asg__cell sk-asg__cell--check'>
            <Check on={allOn} label='本页全选' onToggle={onToggleAll} />
          </View>
          <Text className='sk-asg__cell sk-asg__cell--all'>本页全选</Text>
          <Text className='sk-asg__cell sk-asg__cell--name'>客户</Text>
          <Text className='sk-asg__cell sk-asg__cell--grade'>级别</Text>
          <Text className='sk-asg__cell sk-asg__cell--score'>评分</Text>
          <Text className='sk-asg__cell sk-asg__cell--reason'>主要原因</Text>
          <Text className='sk-asg__cell sk-asg__cell--stage'>阶段</Text>
          <Text className='sk-asg__cell sk-asg__cell--owner'>归属</Text>
          <Text className='sk-asg__cell sk-asg__cell--sla'>首次联系</Text>
          <Text className='sk-asg__cell sk-asg__cell--time'>最近互动</Text>
          <Text className='sk-asg__cell sk-asg__cell--act'>操作</Text>
        </View>
        {rows.map((lead) => {
          const on = selected.includes(lead.id);
          const outcome = outcomes[lead.id];
          const classes = ['sk-asg__row', on ? 'sk-asg__row--on' : '', outcome ? `sk-asg__row--${outcome.kind}` : ''].filter(Boolean).join(' ');
          return (
            <View key={lead.id} className={classes} role='row' data-id={lead.id} onClick={() => onToggle(lead.id)}>
              <View className='sk-asg__cell sk-asg__cell--check'>
                <Check on={on} label={`选择 ${lead.name}`} onToggle={() => onToggle(lead.id)} />
              </View>
              <View className='sk-asg__cell sk-asg__cell--name'>
                <Text
                  className='sk-asg__name'
                  onClick={(e) => {
                    e.stopPropagation();
                    onOpen(lead);
                  }}
                >
                  {lead.name}
                </Text>
                <Text className='sk-asg__phone'>{lead.phoneMasked}</Text>
              </View>
              <View className='sk-asg__cell sk-asg__cell--grade'>
                {lead.grade ? <Tag tone={gradeTone[lead.grade]}>{GRADE_LABELS[lead.grade]}</Tag> : <Text className='sk-asg__dim'>{UNGRADED_LABEL}</Text>}
              </View>
              <Text className='sk-asg__cell sk-asg__cell--score'>{lead.score ?? '—'}</Text>
              <View className='sk-asg__cell sk-asg__cell--reason'>
                <Text className='sk-asg__reason'>{lead.reason ?? '暂无评分依据'}</Text>
                {outcome ? <Text className={`sk-asg__outcome sk-asg__outcome--${outcome.kind}`}>{outcome.text}</Text> : null}
              </View>
              <View className='sk-asg__cell sk-asg__cell--stage'>
                <Tag tone={stageTone[lead.stage]}>{stageLabel[lead.stage]}</Tag>
              </View>
              <View className='sk-asg__cell sk-asg__cell--owner'>
                <Label>归属</Label>
                <Text className={lead.owner ? 'sk-asg__owner' : 'sk-asg__owner sk-asg__pool'}>{lead.owner?.name ?? '公海'}</Text>
              </View>
              <View className='sk-asg__cell sk-asg__cell--sla'>
                <Label>首次联系</Label>
                {lead.sla ? (
                  <>
                    <Text className={`sk-asg__tag sk-asg__sla-full sk-tone--${tableSlaTone[lead.sla.state]}`}>{lead.sla.label}</Text>
                    <Text className={`sk-asg__tag sk-asg__sla-short sk-tone--${tableSlaTone[lead.sla.state]}`}>{slaChipText(lead.sla)}</Text>
                  </>
                ) : (
                  <Text className='sk-asg__dim'>—</Text>
                )}
              </View>
              <View className='sk-asg__cell sk-asg__cell--time'>
                <Label>最近互动</Label>
                <Text>{formatRelative(lead.lastTouch?.at ?? lead.lastActivityAt, now)}</Text>
              </View>
              <View className='sk-asg__cell sk-asg__cell--act'>
                <Text
                  className={`sk-asg__link${busy ? ' sk-asg__link--off' : ''}`}
                  onClick={(e) => {
                    e.stopPropagation();
                    if (!busy) onReassign(lead);
                  }}
                >
                  {lead.owner ? '改派' : '分配'}
                </Text>
              </View>
            </View>
          );
        })}
      </View>
    </View>
  );
}
