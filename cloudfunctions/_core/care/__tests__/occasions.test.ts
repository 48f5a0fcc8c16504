import { birthdayOn, chinaDate, holidayOn, planCare } from '../occasions';

const at = (s: string) => Date.parse(`${s}+08:00`);
const CAP = { touches: 2, days: 7 };

describe('care occasions', () => {
  it('reads the China day, not the UTC one', () => {
    expect(chinaDate(at('2025-05-01T00:30:00')).monthDay).toBe('05-01');
    expect(holidayOn(at('2025-05-01T09:00:00'))).toEqual({ key: 'holiday-2025-05-01', name: '劳动节' });
    expect(holidayOn(at('2025-05-31T09:00:00'))?.name).toBe('端午节');
    expect(holidayOn(at('2025-03-17T09:00:00'))).toBeUndefined();
    expect(birthdayOn(at('2025-03-17T09:00:00')).key).toBe('birthday-2025-03-17');
  });

  it('greets by the channel the owner can be reached on, within consent and the cap', () => {
    const now = at('2025-03-17T09:00:00');
    expect(planCare({ ownerId: 'a', identities: { externalUserId: 'wm1', openid: 'o' } }, CAP, now)).toEqual({ ok: true, channel: { by: 'task', send: 'wecom' } });
    expect(planCare({ ownerId: 'a', identities: { openid: 'o' } }, CAP, now)).toEqual({ ok: true, channel: { by: 'message' } });
    expect(planCare({ ownerId: 'a', identities: { phone: '13800000000' } }, CAP, now)).toEqual({ ok: true, channel: { by: 'task', send: 'call' } });
    expect(planCare({ identities: {} }, CAP, now)).toMatchObject({ ok: false });
    expect(planCare({ ownerId: 'a', identities: {}, consent: { contact: { granted: false, at: 1, noticeVersion: 'v', channel: 'store' } } }, CAP, now)).toEqual({ ok: false, reason: '客户已撤回联系授权，不能发送' });
    const capped = planCare({ ownerId: 'a', identities: {}, marketingTouches: [now - 3_600_000, now - 7_200_000] }, CAP, now);
    expect(capped.ok).toBe(false);
  });
});
