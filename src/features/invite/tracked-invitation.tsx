import { useEffect, useRef, useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import { useShallow } from 'zustand/react/shallow';
import { ActionButton } from '@/components/action-button';
import { ErrorState, LoadingState } from '@/components/state-view';
import { dial, onPageLeave, openExternal, sendFinalBeacon, customerDevice } from '@/platform/customer-device';
import { showToast } from '@/platform/feedback';
import { openPage, routes } from '@/platform/navigation';
import { useWhileVisible } from '@/platform/visibility';
import { toCloudError } from '@/services/cloud-error';
import { useInviteStore } from '@/stores/invite-store';
import { InvitationCard } from './invitation-card';
import { DwellClock, formIssues, HEARTBEAT_MS, invitationLoading, mapUrl, privacyNotice, type RegistrationForm, type TrackedInvitation } from './invitation-view';
import './activity-invitation.scss';

/** The privacy notice, before anything is tracked: agree, or go on without being tracked. */
function PrivacySheet({ busy, onAnswer }: { busy: boolean; onAnswer: (granted: boolean) => void }) {
  return (
    <View className='sk-sheet' role='dialog' aria-label={privacyNotice.title}>
      <View className='sk-sheet__panel'>
        <Text className='sk-sheet__title'>{privacyNotice.title}</Text>
        <Text className='sk-sheet__text'>{privacyNotice.body}</Text>
        <ActionButton block disabled={busy} onTap={() => onAnswer(true)}>
          {privacyNotice.agree}
        </ActionButton>
        <ActionButton block kind='plain' disabled={busy} onTap={() => onAnswer(false)}>
          {privacyNotice.decline}
        </ActionButton>
      </View>
    </View>
  );
}

/** The short registration form: name and phone, prefilled with what the store knows. */
function RegisterSheet({ view, busy, onSubmit, onClose }: { view: TrackedInvitation; busy: boolean; onSubmit: (f: RegistrationForm) => void; onClose: () => void }) {
  const [form, setForm] = useState<RegistrationForm>({ name: view.known?.name ?? '', phone: '' });
  const [tried, setTried] = useState(false);
  const knowsPhone = !!view.known?.phoneMasked;
  const issues = formIssues(form, knowsPhone);
  const submit = () => {
    setTried(true);
    if (!Object.keys(issues).length) onSubmit(form);
  };
  return (
    <View className='sk-sheet' role='dialog' aria-label='报名'>
      <View className='sk-sheet__panel'>
        <Text className='sk-sheet__title'>报名 {view.invitation.title}</Text>
        <Text className='sk-field__label'>姓名</Text>
        <Input className='sk-field__input' value={form.name} placeholder='您的姓名' maxlength={20} onInput={(e) => setForm({ ...form, name: e.detail.value })} />
        {tried && issues.name ? <Text className='sk-field__issue'>{issues.name}</Text> : null}
        <Text className='sk-field__label'>手机号</Text>
        <Input className='sk-field__input' type='number' value={form.phone} maxlength={11} placeholder={knowsPhone ? `已登记 ${view.known!.phoneMasked}，可不填` : '11 位手机号'} onInput={(e) => setForm({ ...form, phone: e.detail.value })} />
        {tried && issues.phone ? <Text className='sk-field__issue'>{issues.phone}</Text> : null}
        <ActionButton block disabled={busy} onTap={submit}>
          {busy ? '正在提交…' : '提交报名'}
        </ActionButton>
        <ActionButton block kind='plain' onTap={onClose}>
          取消
        </ActionButton>
      </View>
    </View>
  );
}

/**
 * Heartbeats every 15 s while on screen, and the visit's last beat when it hides or the page
 * unloads; back on screen, a new visit. Mounted only while the customer consents.
 */
function DwellTracker() {
  const beat = useInviteStore((s) => s.beat);
  const clock = useRef(new DwellClock());
  const shown = useRef(false);
  useWhileVisible(() => {
    if (shown.current) void useInviteStore.getState().revisit();
    shown.current = true;
    clock.current = new DwellClock();
    clock.current.show(Date.now());
    const timer = setInterval(() => void beat(clock.current.seconds(Date.now()), false), HEARTBEAT_MS);
    return () => {
      clearInterval(timer);
      clock.current.hide(Date.now());
      void beat(clock.current.seconds(Date.now()), true);
    };
  });
  useEffect(
    () =>
      onPageLeave(() => {
        const { link, visitId } = useInviteStore.getState();
        if (link && visitId) sendFinalBeacon('activities', 'beat', { link, device: customerDevice(), visitId, seconds: clock.current.seconds(Date.now()), final: true });
      }),
    [],
  );
  return null;
}

/**
 * The customer's tracked invitation (H5): the event, places left, the consultant and the store
 * to call, the map, the privacy notice before any tracking, registration in two taps, and the
 * way to 我的报名. Its words come from invitation-view, which the weapp native page shares.
 */
export function TrackedInvitationView({ link }: { link: string }) {
  const { status, error, view, busy, declined, decline, open, consent, register, share } = useInviteStore(useShallow((s) => s));
  const [registering, setRegistering] = useState(false);

  useEffect(() => {
    void open(link);
  }, [link, open]);

  if (status === 'error' && error) return <ErrorState title='邀请函打开失败' message={error.userMessage} onRetry={() => void open(link)} />;
  if (status !== 'ready' || !view) return <LoadingState rows={2} label={invitationLoading.status === 'loading' ? invitationLoading.label : ''} />;

  const i = view.invitation;
  const map = mapUrl(i);
  const act = async (work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (e) {
      showToast(toCloudError(e).userMessage);
    }
  };
  const r = view.registration;
  return (
    <View className='sk-invite'>
      <InvitationCard
        invitation={i}
        kicker={view.from}
        places='left'
        actions={
          <>
            {i.phone ? <ActionButton kind='secondary' onTap={() => dial(i.phone)}>联系顾问</ActionButton> : null}
            {map ? <ActionButton kind='secondary' onTap={() => openExternal(map)}>查看地图</ActionButton> : null}
          </>
        }
      >
        <View className='sk-invite__card sk-invite__register'>
          {r.kind === 'registered' ? (
            <View>
              <Text className='sk-invite__done'>{r.label}</Text>
              <Text className='sk-invite__text'>{r.phoneMasked ? `门店会联系 ${r.phoneMasked} 确认到店时间` : '门店会联系您确认到店时间'}</Text>
            </View>
          ) : r.kind === 'full' ? (
            <Text className='sk-invite__text'>名额已满。想参加可以直接联系顾问，有空位会第一时间通知您。</Text>
          ) : r.kind === 'ended' ? (
            <Text className='sk-invite__text'>活动已结束，下次再约。</Text>
          ) : r.kind === 'contact_consultant' ? (
            <Text className='sk-invite__text'>这是朋友转发给您的邀请，报名请联系顾问或在微信小程序中打开。</Text>
          ) : (
            <ActionButton block onTap={() => setRegistering(true)}>立即报名</ActionButton>
          )}
          <View className='sk-invite__links'>
            <Text className='sk-invite__link' onClick={() => openPage(routes.inviteMine, { t: link })}>我的报名</Text>
            {view.consent === 'granted' ? (
              <Text className='sk-invite__link' onClick={() => void act(() => share().then(() => showToast('可以把链接发给朋友了')))}>转发给朋友</Text>
            ) : null}
          </View>
        </View>
      </InvitationCard>
      <View className='sk-invite__privacy'>
        {view.consent === 'granted' ? (
          <Text className='sk-invite__link' onClick={() => void act(() => consent(false).then(() => showToast(privacyNotice.withdrawn)))}>{privacyNotice.withdraw}</Text>
        ) : view.consent === 'withdrawn' || (view.consent === 'ask' && declined) ? (
          <Text className='sk-invite__link' onClick={() => void act(() => consent(true))}>未记录浏览 · 开启浏览记录</Text>
        ) : null}
      </View>
      {view.consent === 'granted' ? <DwellTracker /> : null}
      {view.consent === 'ask' && !declined ? (
        <PrivacySheet busy={busy} onAnswer={(granted) => (granted ? void act(() => consent(true)) : decline())} />
      ) : null}
      {registering ? (
        <RegisterSheet
          view={view}
          busy={busy}
          onClose={() => setRegistering(false)}
          onSubmit={(form) =>
            void act(async () => {
              showToast(await register(form));
              setRegistering(false);
            })
          }
        />
      ) : null}
    </View>
  );
}
