import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import type { CustomerProfile } from '@/contract';
import { syncLines } from './sync-lines';
import './profile.scss';

interface SyncCardProps {
  profile: CustomerProfile;
  now: number;
  /** The viewer may record that the customer withdrew their consent to sharing (owner or manager). */
  canWithdraw: boolean;
  busy: boolean;
  error?: string;
  onWithdraw: () => void;
}

/** The customer's standing with the OEM: freshness, what waits to go up, failures; and the store's record of a withdrawal. */
export function SyncCard({ profile, now, canWithdraw, busy, error, onWithdraw }: SyncCardProps) {
  const [asking, setAsking] = useState(false);
  const lines = syncLines(profile.sync, now);
  return (
    <View className='sk-card sk-sync' data-testid='sync-card'>
      <Text className='sk-sync__title'>主机厂同步</Text>
      {lines.map((l) => (
        <View key={l.text} className={`sk-sync__line sk-sync__line--${l.tone}`}>
          <Text className='sk-sync__dot' />
          <Text className='sk-sync__text'>{l.text}</Text>
        </View>
      ))}
      {profile.sync.shared && canWithdraw ? (
        asking ? (
          <View className='sk-sync__ask'>
            <Text className='sk-sync__ask-text'>撤回后，这位客户的跟进、到店等记录不再上传主机厂，主机厂也会收到撤回通知。确定登记吗？</Text>
            <View className='sk-sync__ask-actions'>
              <Text className='sk-sync__btn' onClick={() => setAsking(false)}>
                取消
              </Text>
              <Text
                className={`sk-sync__btn sk-sync__btn--danger${busy ? ' sk-sync__btn--off' : ''}`}
                onClick={() => {
                  if (!busy) onWithdraw();
                }}
              >
                {busy ? '正在登记…' : '确定撤回'}
              </Text>
            </View>
          </View>
        ) : (
          <Text className='sk-sync__withdraw' onClick={() => setAsking(true)}>
            客户要求撤回共享授权
          </Text>
        )
      ) : null}
      {error ? <Text className='sk-sync__error'>{error}</Text> : null}
    </View>
  );
}
