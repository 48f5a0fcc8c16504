import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import type { CustomerProfile, IntentGrade } from '@/contract';
import { Badge } from '@/components/badge';
import { StageBadge } from '@/components/customer-badges';
import { genderLabel, slaTone } from '@/lib/labels';
import { formatRelative } from '@/lib/time';
import { GradeControl } from './grade-control';
import './profile.scss';


interface ProfileHeaderProps {
  profile: CustomerProfile;
  now: number;
  canGrade: boolean;
  gradeError?: string;
  onSetGrade: (grade: IntentGrade | null) => void;
}

/** Who the customer is, at a glance: the first thing the sidebar shows. */
export function ProfileHeader({ profile, now, canGrade, gradeError, onSetGrade }: ProfileHeaderProps) {
  const [phoneShown, setPhoneShown] = useState(false);
  const facts = [genderLabel[profile.gender], profile.city].filter(Boolean).join(' · ');
  return (
    <View className='sk-card sk-prof-head'>
      <View className='sk-prof-head__top'>
        <View className='sk-prof-head__avatar'>{profile.name.slice(0, 1)}</View>
        <View className='sk-prof-head__who'>
          <View className='sk-prof-head__line'>
            <Text className='sk-prof-head__name'>{profile.name}</Text>
            <StageBadge stage={profile.stage} />
            {profile.sla ? (
              <View className='sk-prof-head__sla'>
                <Badge tone={slaTone[profile.sla.state]} solid={profile.sla.state === 'overdue'}>
                  {profile.sla.label}
                </Badge>
              </View>
            ) : null}
          </View>
          <Text className='sk-prof-head__facts'>{facts || '暂无基本信息'}</Text>
        </View>
      </View>
      <GradeControl info={profile.gradeInfo} editable={canGrade} error={gradeError} onSet={onSetGrade} />
      {profile.mergedCount > 0 ? (
        <Text className='sk-prof-head__merged'>{`合并了${profile.mergedCount}位客户的记录，时间线包含全部历史`}</Text>
      ) : null}
      <View className='sk-prof-head__phone'>
        <Text className='sk-prof-head__label'>手机</Text>
        <Text className='sk-prof-head__number'>{phoneShown && profile.phone ? profile.phone : profile.phoneMasked}</Text>
        {profile.phone ? (
          <Text className='sk-prof-head__reveal' onClick={() => setPhoneShown(!phoneShown)}>
            {phoneShown ? '隐藏号码' : '显示完整号码'}
          </Text>
        ) : null}
      </View>
      <View className='sk-prof-head__grid'>
        <View className='sk-prof-head__cell'>
          <Text className='sk-prof-head__label'>来源渠道</Text>
          <Text className='sk-prof-head__value'>{profile.sourceChannelName}</Text>
        </View>
        {profile.campaign ? (
          <View className='sk-prof-head__cell'>
            <Text className='sk-prof-head__label'>主机厂活动</Text>
            <Text className='sk-prof-head__value'>{profile.campaign}</Text>
          </View>
        ) : null}
        <View className='sk-prof-head__cell'>
          <Text className='sk-prof-head__label'>跟进顾问</Text>
          <Text className='sk-prof-head__value'>{profile.owner ? profile.owner.name : '公海（未分配）'}</Text>
        </View>
        <View className='sk-prof-head__cell'>
          <Text className='sk-prof-head__label'>最近互动</Text>
          <Text className='sk-prof-head__value'>{formatRelative(profile.lastActivityAt, now)}</Text>
        </View>
        <View className='sk-prof-head__cell'>
          <Text className='sk-prof-head__label'>企业微信</Text>
          <View className='sk-prof-head__value'>
            {profile.hasWecom ? <Badge tone='green'>已添加</Badge> : <Badge tone='gray'>未添加</Badge>}
          </View>
        </View>
      </View>
    </View>
  );
}
