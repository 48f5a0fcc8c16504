import type { ActivityView, InvitationOpen, MyRegistration } from '@/contract';
import { INVITE_NOTICE_VERSION } from '../../../types/catalog';
import { privacyNotice, afterRegister, DwellClock, formIssues, mapUrl, myRegistrationItems, toInvitation, trackedInvitation } from './invitation-view';

const at = (d: number, h: number, m = 0) => new Date(2026, 10, d, h, m).getTime();
const activity: ActivityView = {
  id: 'act_1',
  title: 'SUV 试驾周末',
  description: '',
  storeName: '上海浦东店',
  address: '龙东大道 3188 号',
  startAt: at(29, 9, 30),
  endAt: at(29, 17),
  perks: [],
  capacity: 10,
  registered: 7,
  storePhone: '021-58881234',
  location: { lng: 121.6, lat: 31.2 },
};
const open = (o: Partial<InvitationOpen> = {}): InvitationOpen => ({ activity, consultantName: '张伟', viewer: 'recipient', tracking: 'unasked', canConsent: true, tracked: false, known: { name: '李明', phoneMasked: '138****0001' }, ...o });
const NOW = at(20, 10);

test('places left are live: capacity minus registered, and a full event says so', () => {
  expect(toInvitation(activity)).toMatchObject({ capacity: '共 10 个名额', placesLeft: '剩余 3 个名额', full: false, phone: '021-58881234' });
  expect(toInvitation({ ...activity, registered: 10 })).toMatchObject({ placesLeft: '名额已满', full: true });
});

test('asks for consent before tracking, unless the viewer cannot be asked', () => {
  expect(trackedInvitation(open(), NOW)).toMatchObject({ from: '顾问 张伟 邀请您', consent: 'ask', registration: { kind: 'open' }, known: { name: '李明' } });
  expect(trackedInvitation(open({ tracking: 'granted' }), NOW).consent).toBe('granted');
  expect(trackedInvitation(open({ tracking: 'withdrawn' }), NOW).consent).toBe('withdrawn');
  const forwarded = trackedInvitation(open({ viewer: 'forwarded', canConsent: false, known: undefined }), NOW);
  expect(forwarded).toMatchObject({ consent: 'none', registration: { kind: 'contact_consultant' } });
});

test('registration: registered, full, ended', () => {
  const reg: MyRegistration = { activityId: 'act_1', title: 'x', storeName: '', address: '', startAt: activity.startAt, endAt: activity.endAt, status: 'registered', at: NOW, phoneMasked: '138****0001' };
  expect(trackedInvitation(open({ registration: reg }), NOW).registration).toEqual({ kind: 'registered', label: '已报名', phoneMasked: '138****0001' });
  expect(trackedInvitation(open({ activity: { ...activity, registered: 10 } }), NOW).registration).toEqual({ kind: 'full' });
  expect(trackedInvitation(open(), at(30, 9)).registration).toEqual({ kind: 'ended' });
  const t = trackedInvitation(open(), NOW);
  const full = afterRegister(t, { registered: false, reason: 'full', message: '名额已满', placesLeft: 0 });
  expect(full.toast).toBe('名额已满');
  expect(full.next).toMatchObject({ registration: { kind: 'full' }, invitation: { placesLeft: '名额已满', full: true } });
  const done = afterRegister(t, { registered: true, registration: reg, placesLeft: 2 });
  expect(done).toMatchObject({ toast: '报名成功', next: { registration: { kind: 'registered' }, invitation: { placesLeft: '剩余 2 个名额' } } });
});

test('the form asks for a name and an 11-digit phone, unless the store knows the phone', () => {
  expect(formIssues({ name: '', phone: '' }, false)).toEqual({ name: '请填写姓名', phone: '请填写手机号' });
  expect(formIssues({ name: '李明', phone: '1380000' }, true)).toEqual({ phone: '请填写 11 位手机号' });
  expect(formIssues({ name: '李明', phone: '' }, true)).toEqual({});
  expect(formIssues({ name: '李明', phone: '138 0000 0001' }, false)).toEqual({});
});

test('我的报名 lists each registration with what can be done', () => {
  const base: MyRegistration = { activityId: 'a', title: 'SUV 试驾周末', storeName: '上海浦东店', address: '龙东大道', startAt: activity.startAt, endAt: activity.endAt, status: 'registered', at: NOW };
  const items = myRegistrationItems([base, { ...base, activityId: 'b', status: 'cancelled' }, { ...base, activityId: 'c', endAt: NOW - 1 }], NOW);
  expect(items.map((i) => [i.status, i.canCancel, i.tone])).toEqual([
    ['已报名', true, 'active'],
    ['已取消', false, 'muted'],
    ['已结束', false, 'muted'],
  ]);
  expect(items[0].place).toBe('上海浦东店 · 龙东大道');
});

test('the dwell clock counts only time on screen', () => {
  const c = new DwellClock();
  c.show(0);
  expect(c.seconds(15_000)).toBe(15);
  c.hide(20_000);
  expect(c.seconds(60_000)).toBe(20);
  c.show(60_000);
  c.show(61_000);
  expect(c.seconds(70_000)).toBe(30);
});

test('a map link for the store on H5', () => {
  expect(mapUrl(toInvitation(activity))).toMatch(/^https:\/\/uri\.amap\.com\/marker\?position=121\.6,31\.2&name=/);
  expect(mapUrl({ storeName: 'x', address: 'y' })).toBeUndefined();
});

test('the notice the page shows is the version the server knows', () => {
  expect(privacyNotice.version).toBe(INVITE_NOTICE_VERSION);
});
