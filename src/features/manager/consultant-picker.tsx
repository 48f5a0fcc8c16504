import { View, Text } from '@tarojs/components';
import type { TeamMember } from '@/contract';
import { modelLineLabel } from '@/lib/labels';

interface ConsultantPickerProps {
  /** How many leads are being given. */
  count: number;
  team: TeamMember[];
  /** Owner of the single lead being reassigned (not offered again). */
  currentOwnerId?: string;
  /** Offer 退回公海 too (single-row reassign). */
  allowPool: boolean;
  onPick: (to: string) => void;
  onClose: () => void;
}

/** 分配给…: each consultant with the room they have left. */
export function ConsultantPicker({ count, team, currentOwnerId, allowPool, onPick, onClose }: ConsultantPickerProps) {
  return (
    <View className='sk-dialog' onClick={onClose}>
      <View className='sk-dialog__box sk-picker' role='dialog' aria-label='选择顾问' onClick={(e) => e.stopPropagation()}>
        <Text className='sk-dialog__title'>{`把 ${count} 条线索分配给`}</Text>
        <View className='sk-picker__list'>
          {team.map((m) => {
            const left = Math.max(0, m.capacity - m.activeLeads);
            const mine = m.id === currentOwnerId;
            return (
              <View
                key={m.id}
                className={`sk-picker__member${mine ? ' sk-picker__member--off' : ''}`}
                data-member={m.id}
                onClick={() => {
                  if (!mine) onPick(m.id);
                }}
              >
                <View className='sk-picker__who'>
                  <Text className='sk-picker__name'>{m.name}</Text>
                  <Text className='sk-picker__lines'>{m.modelLines.map((l) => modelLineLabel[l]).join(' · ')}</Text>
                </View>
                <Text className={`sk-picker__left${left < count ? ' sk-picker__left--short' : ''}`}>
                  {mine ? '当前归属' : left < count ? `剩余容量 ${left}，不够 ${count} 条` : `剩余容量 ${left}`}
                </Text>
              </View>
            );
          })}
        </View>
        <View className='sk-dialog__actions'>
          {allowPool ? (
            <Text className='sk-btn sk-btn--plain sk-picker__pool' onClick={() => onPick('pool')}>
              退回公海
            </Text>
          ) : null}
          <Text className='sk-btn sk-btn--plain' onClick={onClose}>
            取消
          </Text>
        </View>
      </View>
    </View>
  );
}
