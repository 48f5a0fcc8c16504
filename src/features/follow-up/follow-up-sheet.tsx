import { useEffect } from 'react';
import { View, Text } from '@tarojs/components';
import { useShallow } from 'zustand/react/shallow';
import { ActionButton } from '@/components/action-button';
import { showToast } from '@/platform/feedback';
import { onNetworkChange } from '@/platform/network';
import { useFollowUpSheetStore } from '@/stores/profile-follow-up-store';
import { useProfileStore } from '@/stores/profile-store';
import { useSessionStore } from '@/stores/session-store';
import { FollowUpPopup } from './follow-up-popup-lazy';
import './follow-up.scss';

/**
 * 记录跟进: a big button fixed at the bottom of the profile opens a sheet where the consultant
 * picks what happened and fills in only what that kind needs.
 */
export function FollowUpSheet({ customerId }: { customerId: string }) {
  // Only the consultant who works the customer records follow-ups, once the profile says so.
  const meId = useSessionStore((s) => (s.me?.role === 'consultant' ? s.me.id : undefined));
  const owns = useProfileStore((s) => meId !== undefined && s.customerId === customerId && s.status === 'ready' && s.profile?.owner?.id === meId);
  const { visible, submitting, unsent, online, forThis } = useFollowUpSheetStore(
    useShallow((s) => ({ visible: s.visible, submitting: s.submitting, unsent: s.unsent, online: s.online, forThis: s.customerId === customerId })),
  );
  const { attach, openSheet, submit, setOnline } = useFollowUpSheetStore.getState();

  // A draft kept from an earlier visit (or a save that found no network) shows on the bar.
  useEffect(() => {
    if (owns) attach(customerId);
  }, [owns, customerId, attach]);
  useEffect(() => onNetworkChange(setOnline), [setOnline]);
  const waiting = forThis && unsent;

  if (!owns) return null;

  const send = async () => {
    if (await submit()) showToast('已发送');
  };

  return (
    <View className='sk-fs-bar-wrap'>
      <View className={`sk-fs-spacer${waiting ? ' sk-fs-spacer--tall' : ''}`} />
      <View className='sk-fs-bar'>
        {waiting ? (
          <View className={`sk-fs-unsent${online ? ' sk-fs-unsent--online' : ''}`}>
            <Text className='sk-fs-unsent__text'>{online ? '网络已恢复，有一条跟进还没发送' : '网络不可用，有一条跟进保存在本机'}</Text>
            {online ? (
              <View className='sk-fs-unsent__send' onClick={() => void send()}>
                {submitting ? '发送中…' : '发送'}
              </View>
            ) : null}
          </View>
        ) : null}
        <ActionButton block onTap={() => openSheet(customerId)}>
          {waiting ? '查看这条跟进' : '记录跟进'}
        </ActionButton>
      </View>
      <FollowUpPopup customerId={customerId} visible={visible} />
    </View>
  );
}
