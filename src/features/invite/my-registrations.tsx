import { useEffect, useState } from 'react';
import { Text, View } from '@tarojs/components';
import { useShallow } from 'zustand/react/shallow';
import { ActionButton } from '@/components/action-button';
import { EmptyState, ErrorState, LoadingState } from '@/components/state-view';
import { showToast } from '@/platform/feedback';
import { toCloudError } from '@/services/cloud-error';
import { useMyRegistrationsStore } from '@/stores/invite-store';
import { cancelConfirm, myRegistrationItems, myRegistrationsEmpty, privacyNotice } from './invitation-view';
import './activity-invitation.scss';

/** 我的报名 (H5): the customer's registrations with cancel (one tap, then confirm), and withdrawing consent to tracking. */
export function MyRegistrationsView({ link }: { link?: string }) {
  const { status, error, items, known, tracking, busy, load, cancel, setTracking } = useMyRegistrationsStore(useShallow((s) => s));
  const [confirming, setConfirming] = useState<string>();

  useEffect(() => {
    void load(link);
  }, [link, load]);

  if (status === 'error' && error) return <ErrorState title='我的报名打开失败' message={error.userMessage} onRetry={() => void load(link)} />;
  if (status !== 'ready') return <LoadingState rows={2} label='正在加载我的报名…' />;
  const act = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      showToast(done);
    } catch (e) {
      showToast(toCloudError(e).userMessage);
    }
  };
  const list = myRegistrationItems(items, Date.now());
  return (
    <View className='sk-invite sk-mine'>
      {list.length === 0 ? (
        <EmptyState title={myRegistrationsEmpty.title} description={known ? myRegistrationsEmpty.description : '从顾问发给您的邀请里报名后，可以在这里查看'} />
      ) : (
        list.map((r) => (
          <View key={r.activityId} className='sk-invite__card sk-mine__item'>
            <View className='sk-mine__head'>
              <Text className='sk-invite__heading'>{r.title}</Text>
              <Text className={`sk-mine__status sk-mine__status--${r.tone}`}>{r.status}</Text>
            </View>
            <Text className='sk-invite__text'>{r.time}</Text>
            <Text className='sk-invite__address'>{r.place}</Text>
            {r.canCancel ? (
              <ActionButton kind='secondary' disabled={busy} onTap={() => setConfirming(r.activityId)}>
                取消报名
              </ActionButton>
            ) : null}
          </View>
        ))
      )}
      {known && tracking === 'granted' ? (
        <View className='sk-invite__privacy'>
          <Text className='sk-invite__link' onClick={() => void act(() => setTracking(false), privacyNotice.withdrawn)}>{privacyNotice.withdraw}</Text>
        </View>
      ) : null}
      {confirming ? (
        <View className='sk-sheet' role='dialog' aria-label={cancelConfirm.title}>
          <View className='sk-sheet__panel'>
            <Text className='sk-sheet__title'>{cancelConfirm.title}</Text>
            <Text className='sk-sheet__text'>{cancelConfirm.body}</Text>
            <ActionButton
              block
              disabled={busy}
              onTap={() =>
                void act(async () => {
                  await cancel(confirming);
                  setConfirming(undefined);
                }, '已取消报名')
              }
            >
              {cancelConfirm.confirm}
            </ActionButton>
            <ActionButton block kind='plain' onTap={() => setConfirming(undefined)}>
              {cancelConfirm.keep}
            </ActionButton>
          </View>
        </View>
      ) : null}
    </View>
  );
}
