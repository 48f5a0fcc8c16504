import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import type { Invitation } from './invitation-view';
import './activity-invitation.scss';

interface InvitationCardProps {
  invitation: Invitation;
  /** Above the title: who invites (the store, or the consultant on a tracked link). */
  kicker: string;
  /**
   * The places row: the capacity alone where nothing is registered through the page, or the places
   * left beside it on the customer's own link (`sk-invite__places`, marked when full).
   */
  places: 'capacity' | 'left';
  /** Under the rows, in the same card (call the consultant, the map). */
  actions?: ReactNode;
  /** Between the event card and its description (registration). */
  children?: ReactNode;
}

/**
 * The invitation as the customer reads it on H5: the event's time, place and places, what it is
 * about and the perks of coming. Both invitation views show it (the tracked link's and the plain
 * event page); its words come from invitation-view, which the native weapp page shares.
 */
export function InvitationCard({ invitation: i, kicker, places, actions, children }: InvitationCardProps) {
  return (
    <>
      <View className='sk-invite__hero'>
        <Text className='sk-invite__kicker'>{kicker}</Text>
        <Text className='sk-invite__title'>{i.title}</Text>
      </View>
      <View className='sk-invite__card sk-invite__card--lifted'>
        <View className='sk-invite__row'>
          <Text className='sk-invite__key'>时间</Text>
          <Text className='sk-invite__value'>{i.time}</Text>
        </View>
        <View className='sk-invite__row'>
          <Text className='sk-invite__key'>地点</Text>
          <View className='sk-invite__value'>
            <Text className='sk-invite__place'>{i.storeName}</Text>
            <Text className='sk-invite__address'>{i.address}</Text>
          </View>
        </View>
        <View className='sk-invite__row'>
          <Text className='sk-invite__key'>名额</Text>
          {places === 'left' ? (
            <Text className={`sk-invite__value sk-invite__places${i.full ? ' sk-invite__places--full' : ''}`}>{`${i.placesLeft}（${i.capacity}）`}</Text>
          ) : (
            <Text className='sk-invite__value'>{i.capacity}</Text>
          )}
        </View>
        {actions ? <View className='sk-invite__actions'>{actions}</View> : null}
      </View>
      {children}
      {i.description ? (
        <View className='sk-invite__card'>
          <Text className='sk-invite__heading'>活动介绍</Text>
          <Text className='sk-invite__text'>{i.description}</Text>
        </View>
      ) : null}
      {i.perks.length ? (
        <View className='sk-invite__card'>
          <Text className='sk-invite__heading'>到店礼遇</Text>
          {i.perks.map((perk) => (
            <View key={perk} className='sk-invite__perk'>
              <Text className='sk-invite__tick'>✓</Text>
              <Text className='sk-invite__text'>{perk}</Text>
            </View>
          ))}
        </View>
      ) : null}
    </>
  );
}
