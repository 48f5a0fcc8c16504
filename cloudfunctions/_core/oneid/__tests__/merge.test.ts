import type { EventDoc, TagAssignment } from '../../../../types/model';
import { identifierKey } from '../identifiers';
import { mergeCustomers, undoMerge, type MergeResult } from '../merge';
import type { OneIdCustomer } from '../customer';
import { customer, DAY, oem, openid, phone, T0, unionid } from './fixtures';

const tag = (tagId: string, assignedAt: number, source: TagAssignment['source'] = 'rule'): TagAssignment => ({
  tagId,
  path: ['x', 'y'],
  source,
  assignedAt,
});

function merged(r: MergeResult) {
  if (!r.changed) throw new Error('expected a change');
  return r;
}

const ctx = { now: T0 + 10 * DAY, actor: 'system:oneid', reason: '同一手机号在小程序留资' };

/** The OEM lead (older, from 汽车之家) and the WeChat customer who turned out to be the same person. */
function pair(): { oemLead: OneIdCustomer; wechat: OneIdCustomer } {
  const oemLead = customer('oemLead', {
    name: '王建国',
    gender: 'male',
    city: '杭州',
    identifiers: [oem('LS0000000042'), phone('13912345678')],
    fieldSources: { name: { source: 'oem', at: T0 - 30 * DAY }, city: { source: 'oem', at: T0 - 30 * DAY } },
    storeId: 's1',
    stage: 'lead',
    sourceChannel: 'autohome',
    createdAt: T0 - 30 * DAY,
    updatedAt: T0 - 2 * DAY,
    lastActivityAt: T0 - 3 * DAY,
    tags: [tag('behavior-focus-space', T0 - 20 * DAY), tag('intent-level-high', T0 - 20 * DAY, 'oem')],
    vehiclesOfInterest: [{ modelId: 'lanyue', at: T0 - 20 * DAY }],
    storesVisited: [{ storeId: 's1', count: 1, lastAt: T0 - 25 * DAY }],
    lastTouch: { type: 'ad_click', at: T0 - 3 * DAY, summary: '在汽车之家点击 澜山揽岳 广告' },
  });
  const wechat = customer('wechat', {
    name: '王先生',
    gender: 'male',
    city: '上海',
    identifiers: [openid('oWang0000001'), unionid('uWang0000001')],
    fieldSources: { name: { source: 'customer', at: T0 - DAY }, city: { source: 'customer', at: T0 - DAY } },
    storeId: 's1',
    ownerId: 'zhangwei',
    grade: 'A',
    stage: 'prospect',
    sourceChannel: 'miniprogram',
    createdAt: T0 - 5 * DAY,
    updatedAt: T0 - DAY,
    lastActivityAt: T0 - DAY,
    tags: [tag('behavior-focus-space', T0 - 2 * DAY), tag('intent-signal-test_driven', T0 - DAY)],
    vehiclesOfInterest: [{ modelId: 'lanyue', at: T0 - DAY }, { modelId: 'qinglan_ev', at: T0 - 2 * DAY }],
    storesVisited: [{ storeId: 's1', count: 2, lastAt: T0 - DAY }, { storeId: 's2', count: 1, lastAt: T0 - 4 * DAY }],
    lastTouch: { type: 'test_drive', at: T0 - DAY, summary: '到店试驾 揽岳' },
  });
  return { oemLead, wechat };
}

describe('mergeCustomers', () => {
  it('keeps the history of both: reads that follow mergedIds see every event', () => {
    const { oemLead, wechat } = pair();
    const r = merged(mergeCustomers(oemLead, [wechat], ctx));
    expect(r.customer.mergedIds).toEqual(['wechat']);
    expect(r.tombstones).toEqual([expect.objectContaining({ _id: 'wechat', mergedInto: 'oemLead', mergedAt: ctx.now })]);
    const events = [
      { _id: 'e1', customerId: 'oemLead' },
      { _id: 'e2', customerId: 'wechat' },
      { _id: 'e3', customerId: 'someoneElse' },
    ] as Pick<EventDoc, '_id' | 'customerId'>[];
    const ids = new Set([r.customer._id, ...r.customer.mergedIds]);
    expect(events.filter((e) => ids.has(e.customerId)).map((e) => e._id)).toEqual(['e1', 'e2']);
  });

  it('carries earlier merges along, so a chain of merges still reaches every event', () => {
    const a = customer('a', { identifiers: [phone('13911110001')], mergedIds: ['old1'] });
    const b = customer('b', { identifiers: [openid('oB0000000001')], mergedIds: ['old2', 'old3'] });
    expect(merged(mergeCustomers(a, [b], ctx)).customer.mergedIds).toEqual(['b', 'old1', 'old2', 'old3']);
  });

  it('takes OEM-owned fields from the OEM even when the store data is newer', () => {
    const { oemLead, wechat } = pair();
    // The survivor is chosen by OneID; whichever it is, the OEM name and city win.
    for (const r of [mergeCustomers(oemLead, [wechat], ctx), mergeCustomers(wechat, [oemLead], ctx)].map(merged)) {
      expect(r.customer.name).toBe('王建国');
      expect(r.customer.city).toBe('杭州');
      expect(r.customer.fieldSources?.name).toEqual({ source: 'oem', at: T0 - 30 * DAY });
    }
  });

  it('treats a customer holding an OEM id as the OEM source when fields carry no provenance', () => {
    const a = customer('a', { name: '刘洋', identifiers: [oem('LS0000000007')], updatedAt: T0 - 9 * DAY });
    const b = customer('b', { name: '刘先生', identifiers: [phone('13911110001')], updatedAt: T0 });
    expect(merged(mergeCustomers(b, [a], ctx)).customer.name).toBe('刘洋');
  });

  it('otherwise keeps the most recently set non-empty value, never a placeholder', () => {
    const a = customer('a', { name: '赵敏', city: '', gender: 'female', identifiers: [phone('13911110001')], updatedAt: T0 - 9 * DAY });
    const b = customer('b', { name: '尾号0001的客户', city: '南京', gender: 'unknown', identifiers: [openid('oB0000000001')], updatedAt: T0 });
    const c = merged(mergeCustomers(a, [b], ctx)).customer;
    expect(c).toMatchObject({ name: '赵敏', city: '南京', gender: 'female' });
    const newer = customer('n', { name: '赵敏敏', identifiers: [unionid('uN0000000001')], updatedAt: T0 + DAY });
    expect(merged(mergeCustomers(a, [newer], ctx)).customer.name).toBe('赵敏敏');
  });

  it('names a merged customer after its phone when every name was a placeholder', () => {
    const a = customer('a', { name: '微信客户', identifiers: [openid('oA0000000001')] });
    const b = customer('b', { name: '新客户', identifiers: [phone('13911110001')] });
    expect(merged(mergeCustomers(a, [b], ctx)).customer.name).toBe('尾号0001的客户');
  });

  it('merges collections and times by rule', () => {
    const { oemLead, wechat } = pair();
    const c = merged(mergeCustomers(oemLead, [wechat], ctx)).customer;
    expect(c.stage).toBe('prospect');
    expect(c.ownerId).toBe('zhangwei');
    expect(c.grade).toBe('A');
    expect(c.sourceChannel).toBe('autohome');
    expect(c.createdAt).toBe(T0 - 30 * DAY);
    expect(c.updatedAt).toBe(ctx.now);
    expect(c.lastActivityAt).toBe(T0 - DAY);
    expect(c.lastTouch?.type).toBe('test_drive');
    expect(c.tags).toEqual(
      expect.arrayContaining([tag('behavior-focus-space', T0 - 2 * DAY), tag('intent-level-high', T0 - 20 * DAY, 'oem'), tag('intent-signal-test_driven', T0 - DAY)]),
    );
    expect(c.tags).toHaveLength(3);
    expect(c.vehiclesOfInterest).toEqual(expect.arrayContaining([{ modelId: 'lanyue', at: T0 - DAY }, { modelId: 'qinglan_ev', at: T0 - 2 * DAY }]));
    expect(c.vehiclesOfInterest).toHaveLength(2);
    expect(c.storesVisited).toEqual(expect.arrayContaining([{ storeId: 's1', count: 3, lastAt: T0 - DAY }, { storeId: 's2', count: 1, lastAt: T0 - 4 * DAY }]));
    expect(c.identities).toEqual({ oemId: 'LS0000000042', phone: '13912345678', unionid: 'uWang0000001', openid: 'oWang0000001' });
    expect(c.identifiers.map(identifierKey).sort()).toEqual(['oemId:LS0000000042', 'openid:app1:oWang0000001', 'phone:13912345678', 'unionid:uWang0000001']);
  });

  it('keeps vehicles owned once per car, from the earliest record', () => {
    const a = customer('a', { identifiers: [phone('13911110001')], vehiclesOwned: [{ modelId: 'tuyao', vinTail: '123456', purchasedAt: T0 - 900 * DAY }] });
    const b = customer('b', {
      identifiers: [openid('oB0000000001')],
      vehiclesOwned: [{ modelId: 'tuyao', vinTail: '123456', purchasedAt: T0 - 899 * DAY }, { modelId: 'yunyi', vinTail: '654321', purchasedAt: T0 - 10 * DAY }],
    });
    expect(merged(mergeCustomers(a, [b], ctx)).customer.vehiclesOwned).toEqual([
      { modelId: 'tuyao', vinTail: '123456', purchasedAt: T0 - 900 * DAY },
      { modelId: 'yunyi', vinTail: '654321', purchasedAt: T0 - 10 * DAY },
    ]);
  });

  it('records who, why, when, which ids moved, and snapshots of the merged customers', () => {
    const { oemLead, wechat } = pair();
    const r = merged(mergeCustomers(oemLead, [wechat], ctx));
    expect(r.record).toMatchObject({ survivorId: 'oemLead', mergedIds: ['wechat'], actor: 'system:oneid', reason: '同一手机号在小程序留资', at: ctx.now });
    expect(r.record.snapshots).toEqual([wechat]);
    expect(r.record.survivorBefore).toEqual(oemLead);
    expect(r.identityMoves.map((m) => [m.key, m.from, m.to])).toEqual([
      ['openid:app1:oWang0000001', 'wechat', 'oemLead'],
      ['unionid:uWang0000001', 'wechat', 'oemLead'],
    ]);
    expect(r.record._id).toBe(merged(mergeCustomers(oemLead, [wechat], ctx)).record._id);
  });

  it('a retried merge changes nothing; a customer merged elsewhere is refused', () => {
    const { oemLead, wechat } = pair();
    const r = merged(mergeCustomers(oemLead, [wechat], ctx));
    expect(mergeCustomers(r.customer, r.tombstones, ctx)).toEqual({ changed: false, customer: r.customer });
    expect(() => mergeCustomers(customer('x'), r.tombstones, ctx)).toThrow(/merged into oemLead/);
    expect(() => mergeCustomers(r.tombstones[0], [customer('x')], ctx)).toThrow(/survivor/);
  });
});

describe('undoMerge', () => {
  const undoCtx = { now: T0 + 20 * DAY, actor: 'manager1', reason: '两位不同客户，误合并' };

  it('round-trips: both customers come back as they were and identifiers go home', () => {
    const { oemLead, wechat } = pair();
    const r = merged(mergeCustomers(oemLead, [wechat], ctx));
    const u = undoMerge(r.record, r.customer, undoCtx);
    if (!u.ok) throw new Error(u.message);
    expect(u.survivor).toEqual({ ...oemLead, updatedAt: undoCtx.now });
    expect(u.restored).toEqual([{ ...wechat, updatedAt: undoCtx.now }]);
    expect(u.identityMoves.map((m) => [m.key, m.from, m.to])).toEqual([
      ['openid:app1:oWang0000001', 'oemLead', 'wechat'],
      ['unionid:uWang0000001', 'oemLead', 'wechat'],
    ]);
    expect(u.record.undone).toEqual({ at: undoCtx.now, actor: 'manager1', reason: '两位不同客户，误合并' });
  });

  it('the survivor keeps what happened after the merge', () => {
    const { oemLead, wechat } = pair();
    const r = merged(mergeCustomers(oemLead, [wechat], ctx));
    const later: OneIdCustomer = {
      ...r.customer,
      name: '王建国（已核实）',
      identifiers: [...r.customer.identifiers, { type: 'externalUserId', value: 'wmWang000001', scope: 'corp1' }],
      tags: [...r.customer.tags.filter((t) => t.tagId !== 'behavior-focus-space'), tag('behavior-focus-space', T0 + 12 * DAY), tag('activity-level-high', T0 + 12 * DAY)],
      storesVisited: r.customer.storesVisited.map((s) => (s.storeId === 's1' ? { ...s, count: s.count + 1, lastAt: T0 + 12 * DAY } : s)),
      lastActivityAt: T0 + 12 * DAY,
    };
    const u = undoMerge(r.record, later, undoCtx);
    if (!u.ok) throw new Error(u.message);
    expect(u.survivor.name).toBe('王建国（已核实）');
    expect(u.survivor.lastActivityAt).toBe(T0 + 12 * DAY);
    expect(u.survivor.mergedIds).toEqual([]);
    expect(u.survivor.identifiers.map(identifierKey)).toEqual(['oemId:LS0000000042', 'phone:13912345678', 'externalUserId:corp1:wmWang000001']);
    expect(u.survivor.tags.map((t) => t.tagId).sort()).toEqual(['activity-level-high', 'behavior-focus-space', 'intent-level-high']);
    expect(u.survivor.tags.find((t) => t.tagId === 'behavior-focus-space')?.assignedAt).toBe(T0 + 12 * DAY);
    // The merged customer's two visits and its other store go back with it; the new visit stays.
    expect(u.survivor.storesVisited).toEqual([{ storeId: 's1', count: 2, lastAt: T0 + 12 * DAY }]);
    // What the merge took from the other customer goes back to the earlier values.
    expect(u.survivor.stage).toBe('lead');
    expect(u.survivor.ownerId).toBeUndefined();
    expect(u.survivor.vehiclesOfInterest).toEqual([{ modelId: 'lanyue', at: T0 - 20 * DAY }]);
  });

  it('refuses to undo twice, or when the survivor was merged again since', () => {
    const { oemLead, wechat } = pair();
    const r = merged(mergeCustomers(oemLead, [wechat], ctx));
    const u = undoMerge(r.record, r.customer, undoCtx);
    if (!u.ok) throw new Error(u.message);
    expect(undoMerge(u.record, u.survivor, undoCtx)).toEqual({ ok: false, code: 'ALREADY_UNDONE', message: '这次合并已经撤销过了' });
    expect(undoMerge(r.record, { ...r.customer, mergedInto: 'z' }, undoCtx)).toMatchObject({ ok: false, code: 'SURVIVOR_MERGED' });
    expect(undoMerge(r.record, wechat, undoCtx)).toMatchObject({ ok: false, code: 'WRONG_SURVIVOR' });
  });

  it('undoing an older merge leaves a later merge in place', () => {
    const { oemLead, wechat } = pair();
    const third = customer('third', { identifiers: [{ type: 'externalUserId', value: 'wmThird00001', scope: 'corp1' }], tags: [tag('care-campaign-signed_up', T0)] });
    const first = merged(mergeCustomers(oemLead, [wechat], ctx));
    const second = merged(mergeCustomers(first.customer, [third], { ...ctx, now: ctx.now + DAY }));
    const u = undoMerge(first.record, second.customer, undoCtx);
    if (!u.ok) throw new Error(u.message);
    expect(u.survivor.mergedIds).toEqual(['third']);
    expect(u.survivor.identifiers.map(identifierKey)).toContain('externalUserId:corp1:wmThird00001');
    expect(u.survivor.tags.map((t) => t.tagId)).toContain('care-campaign-signed_up');
    expect(u.restored.map((c) => c._id)).toEqual(['wechat']);
  });
});
