import { DEFAULT_FREQUENCY_CAP } from '../../../../types/model';
import { decideSend, isMarketing, touchesInWindow } from '../cap';

const DAY = 86_400_000;
const NOW = Date.parse('2025-03-17T10:00:00+08:00');
const cap = DEFAULT_FREQUENCY_CAP;

describe('what counts as marketing', () => {
  it('a script typed into a chat is a reply; anything from a strategy or a batch is marketing', () => {
    expect(isMarketing('script', 'wecom_chat', false)).toBe(false);
    expect(isMarketing('script', 'copy', false)).toBe(false);
    expect(isMarketing('invitation', 'wecom_chat', false)).toBe(true);
    expect(isMarketing('script', 'wecom_chat', true)).toBe(true);
    expect(isMarketing('script', 'wecom_mass', false)).toBe(true);
  });
});

describe('decideSend', () => {
  it('allows two marketing touches in seven days and refuses the third, saying when it may go', () => {
    const first = decideSend({ touches: [], marketing: true, cap, now: NOW });
    expect(first).toEqual({ ok: true, marketing: true, touchesAfter: [NOW] });
    const second = decideSend({ touches: [NOW - 3 * DAY], marketing: true, cap, now: NOW });
    expect(second.ok).toBe(true);
    const third = decideSend({ touches: [NOW - 3 * DAY, NOW - DAY], marketing: true, cap, now: NOW });
    expect(third).toEqual({ ok: false, code: 'capped', reason: '7天内已收到2次营销触达（上限2次），3月21日后可再发' });
  });
  it('forgets touches older than the window', () => {
    expect(decideSend({ touches: [NOW - 8 * DAY, NOW - 7 * DAY], marketing: true, cap, now: NOW })).toEqual({ ok: true, marketing: true, touchesAfter: [NOW] });
  });
  it('lets a reply through at the cap without counting it', () => {
    expect(decideSend({ touches: [NOW - DAY, NOW - 2 * DAY], marketing: false, cap, now: NOW })).toEqual({ ok: true, marketing: false, touchesAfter: [NOW - 2 * DAY, NOW - DAY] });
  });
  it('follows the store’s own cap', () => {
    expect(decideSend({ touches: [NOW - DAY], marketing: true, cap: { touches: 1, days: 3 }, now: NOW }).ok).toBe(false);
    expect(decideSend({ touches: [NOW - 4 * DAY], marketing: true, cap: { touches: 1, days: 3 }, now: NOW }).ok).toBe(true);
  });
  it('refuses everything once the customer withdrew consent to be contacted; no record means the lead’s own request', () => {
    const withdrawn = { contact: { granted: false, at: NOW - DAY, noticeVersion: 'store-2025-01', channel: 'store' as const } };
    expect(decideSend({ consent: withdrawn, marketing: false, cap, now: NOW })).toEqual({ ok: false, code: 'no_consent', reason: '客户已撤回联系授权，不能发送' });
    expect(decideSend({ consent: {}, marketing: true, cap, now: NOW }).ok).toBe(true);
  });
  it('counts a touch a concurrent sender stamped a moment later', () => {
    expect(decideSend({ touches: [NOW - DAY, NOW + 5], marketing: true, cap, now: NOW }).ok).toBe(false);
  });
  it('keeps the touch list sorted and bounded to the window', () => {
    expect(touchesInWindow([NOW - DAY, NOW - 10 * DAY, NOW - 2 * DAY], NOW, cap)).toEqual([NOW - 2 * DAY, NOW - DAY]);
  });
});
