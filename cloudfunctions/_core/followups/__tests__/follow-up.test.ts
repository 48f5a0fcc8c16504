import type { FollowUpDoc } from '../../../../types/model';
import { isCustomerInteraction, isLostOutcome } from '../../events/activity';
import { isFirstContact } from '../../allocation/sla';
import { DEFAULT_MODEL } from '../../scoring/model';
import { rebuildState } from '../../scoring/state';
import { followUpEvent, followUpFromEvent, followUpTitle, toFollowUpView, type FollowUpEnvelope, type FollowUpFacts } from '../follow-up';
import { toGradeInfoView } from '../grade-info';
import { gradeStateOf } from '../../lifecycle/grade';

const AT = Date.parse('2026-11-20T15:00:00+08:00');
const DAY = 86_400_000;
const env = (over: Partial<FollowUpEnvelope> = {}): FollowUpEnvelope => ({
  id: 'fu-1',
  customerId: 'cus-1',
  storeId: 'store-1',
  staffId: 'zhangwei',
  note: '',
  at: AT,
  receivedAt: AT + 5_000,
  ...over,
});

const doc = (kind: FollowUpDoc['kind'], details: FollowUpDoc['details']) => ({ kind, details });

describe('the title a consultant reads in the follow-up list', () => {
  it.each([
    [doc('call', { outcome: 'connected', durationSeconds: 185 }), '电话已接通 · 通话3分钟'],
    [doc('call', { outcome: 'connected', durationSeconds: 45 }), '电话已接通 · 通话45秒'],
    [doc('call', { outcome: 'no_answer' }), '电话未接通'],
    [doc('call', { outcome: 'busy', durationSeconds: 0 }), '电话占线'],
    [doc('call', { outcome: 'wrong_number' }), '号码错误'],
    [doc('visit', { durationMinutes: 40 }), '客户到店 · 停留40分钟'],
    [doc('visit', {}), '客户到店'],
    [doc('test_drive', { modelId: 'lanyue', trim: '四驱旗舰版', durationMinutes: 30 }), '试驾揽岳 四驱旗舰版 · 30分钟'],
    [doc('test_drive', { modelId: 'lingfeng' }), '试驾凌峰'],
    [doc('quote', { modelId: 'lanyue', price: 185_800, priceCut: 12_000 }), '报价揽岳 18.58万（优惠1.2万）'],
    [doc('quote', { modelId: 'lanyue', price: 185_800, priceCut: 0 }), '报价揽岳 18.58万'],
    [doc('order', { modelId: 'yunyi', price: 150_000, deposit: 5000 }), '下订云逸 · 成交价15万 · 定金5000元'],
    [doc('lost', { reason: 'bought_competitor', competitor: '比亚迪' }), '战败：已购竞品（比亚迪）'],
    [doc('lost', { reason: 'postponed' }), '战败：暂缓购车'],
    [doc('lost', {}), '战败：客户流失'],
    [doc('note', {}), '跟进备注'],
  ])('%j -> %s', (f, title) => {
    expect(followUpTitle(f)).toBe(title);
  });

  it('still reads for follow-ups without details (records from before they had them)', () => {
    for (const kind of ['call', 'visit', 'test_drive', 'quote', 'order', 'lost', 'note'] as const) {
      expect(followUpTitle({ kind })).toMatch(/^[\u4e00-\u9fa5]/);
    }
    expect(followUpTitle({ kind: 'test_drive', details: { modelId: 'no-such-model' } })).toBe('试驾no-such-model');
  });

  it("shows the note and the consultant's name, or 顾问 for someone no longer in the directory", () => {
    const f: FollowUpDoc = { _id: 'fu-1', customerId: 'cus-1', storeId: 'store-1', staffId: 'zhangwei', kind: 'visit', details: {}, note: '带家人来看车', at: AT };
    expect(toFollowUpView(f, (id) => (id === 'zhangwei' ? '张伟' : undefined))).toEqual({ id: 'fu-1', kind: 'visit', title: '客户到店', note: '带家人来看车', at: AT, staffName: '张伟' });
    expect(toFollowUpView(f, () => undefined).staffName).toBe('顾问');
  });
});

describe('a follow-up is stored as an event', () => {
  const cases: [FollowUpFacts, string][] = [
    [{ kind: 'call', outcome: 'connected', durationSeconds: 120 }, 'call'],
    [{ kind: 'visit', durationMinutes: 30 }, 'store_visit'],
    [{ kind: 'test_drive', modelId: 'lanyue', trim: '两驱版' }, 'test_drive'],
    [{ kind: 'quote', modelId: 'lanyue', price: 185_800, priceCut: 12_000 }, 'quote'],
    [{ kind: 'order', modelId: 'lanyue', price: 173_800, deposit: 5000 }, 'order'],
    [{ kind: 'lost', reason: 'price' }, 'call'],
    [{ kind: 'note' }, 'wecom_chat'],
  ];

  it.each(cases)('%j becomes a %s event with the Segment times and the consultant', (facts, type) => {
    const e = followUpEvent(facts, env({ note: '客户很满意' }));
    expect(e).toMatchObject({
      _id: 'fu-1',
      customerId: 'cus-1',
      storeId: 'store-1',
      staffId: 'zhangwei',
      type,
      originalTimestamp: AT,
      timestamp: AT,
      sentAt: AT + 5_000,
      receivedAt: AT + 5_000,
    });
    expect(e.properties).toMatchObject({ followUp: facts.kind, note: '客户很满意' });
    expect(e.source).toBe(facts.kind === 'note' ? 'wecom' : 'store');
  });

  it.each(cases)('%j comes back from its event as the same follow-up', (facts) => {
    const e = followUpEvent(facts, env({ note: '备注' }));
    const { kind, ...details } = facts;
    expect(followUpFromEvent(e)).toEqual({ _id: 'fu-1', customerId: 'cus-1', storeId: 'store-1', staffId: 'zhangwei', kind, details, note: '备注', at: AT, eventId: 'fu-1' });
  });

  it('leaves out an empty note and details that were not given', () => {
    const e = followUpEvent({ kind: 'call', outcome: 'no_answer' }, env());
    expect(e.properties).toEqual({ direction: 'outbound', connected: false, outcome: 'no_answer', followUp: 'call' });
    expect(followUpFromEvent(e)).toMatchObject({ details: { outcome: 'no_answer' }, note: '' });
  });

  it('is not a follow-up when the event was not recorded as one or has no consultant', () => {
    const e = followUpEvent({ kind: 'visit' }, env());
    expect(followUpFromEvent({ ...e, properties: { durationMinutes: 20 } })).toBeUndefined();
    expect(followUpFromEvent({ ...e, properties: { followUp: 'dance' } })).toBeUndefined();
    const { staffId: _s, ...anonymous } = e;
    expect(followUpFromEvent(anonymous)).toBeUndefined();
  });

  it('counts as first contact only when the customer was reached', () => {
    expect(isFirstContact(followUpEvent({ kind: 'call', outcome: 'connected' }, env()))).toBe(true);
    expect(isFirstContact(followUpEvent({ kind: 'call', outcome: 'no_answer' }, env()))).toBe(false);
    expect(isFirstContact(followUpEvent({ kind: 'lost', reason: 'unreachable' }, env()))).toBe(false);
    expect(isFirstContact(followUpEvent({ kind: 'visit' }, env()))).toBe(true);
  });

  it('is the consultant reaching out, not the customer taking part; a loss is read as 战败', () => {
    const call = followUpEvent({ kind: 'call', outcome: 'connected' }, env());
    const note = followUpEvent({ kind: 'note' }, env());
    const lost = followUpEvent({ kind: 'lost', reason: 'bought_competitor', competitor: '特斯拉' }, env());
    expect([call, note, lost].map(isCustomerInteraction)).toEqual([false, false, false]);
    expect(isCustomerInteraction(followUpEvent({ kind: 'visit' }, env()))).toBe(true);
    expect(isLostOutcome(lost)).toBe(true);
    expect(isLostOutcome(call)).toBe(false);
  });

  it('feeds the lead score: a test drive adds its reason, a loss its penalty', () => {
    const events = [
      followUpEvent({ kind: 'test_drive', modelId: 'lanyue' }, env({ id: 'e1', at: AT - DAY })),
      followUpEvent({ kind: 'lost', reason: 'price' }, env({ id: 'e2' })),
    ];
    const state = rebuildState(events, DEFAULT_MODEL);
    expect(state.rules.map((r) => r.id)).toEqual(expect.arrayContaining(['test_drive', 'lost']));
    expect(state.activity.last.test_drive).toBe(AT - DAY);
    expect(state.activity.last.lost).toBe(AT);
  });
});

describe('the grade as the screens show it', () => {
  const names = (id: string) => ({ zhangwei: '张伟' })[id];

  it("reads a bare stored grade as the consultant's, set by 历史记录", () => {
    const s = gradeStateOf({ grade: 'A', updatedAt: AT });
    expect(s).toEqual({ consultant: { grade: 'A', setAt: AT, by: 'import' } });
    expect(toGradeInfoView(s, AT + DAY, names)).toMatchObject({ grade: 'A', source: 'consultant', setBy: { name: '历史记录', at: AT }, stale: false });
    expect(gradeStateOf({ updatedAt: AT })).toEqual({});
  });

  it('names the consultant who set it, shows the suggestion beside it, and marks it stale once its horizon passed', () => {
    const s = { consultant: { grade: 'H' as const, setAt: AT, by: 'zhangwei' }, suggested: { grade: 'B' as const, at: AT, score: 50 } };
    expect(toGradeInfoView(s, AT + DAY, names)).toMatchObject({ grade: 'H', source: 'consultant', suggested: 'B', setBy: { name: '张伟', at: AT }, stale: false });
    expect(toGradeInfoView(s, AT + 8 * DAY, names).stale).toBe(true);
  });

  it('falls back to the suggested grade when no consultant graded the customer', () => {
    const v = toGradeInfoView({ suggested: { grade: 'A', at: AT, score: 70 } }, AT, names);
    expect(v).toMatchObject({ grade: 'A', source: 'score', suggested: 'A' });
    expect(v.setBy).toBeUndefined();
    expect(v.label).toMatch(/[\u4e00-\u9fa5]/);
  });
});
