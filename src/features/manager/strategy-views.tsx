import { useEffect } from 'react';
import { View, Text, Input } from '@tarojs/components';
import { useShallow } from 'zustand/react/shallow';
import { STRATEGY_CHANNEL_LABELS, type FunnelView, type JobProgress, type StrategyChannel } from '@/contract';
import { ActionButton } from '@/components/action-button';
import { FunnelBars } from '@/components/funnel-bars';
import { EmptyState, ErrorState, LoadingState } from '@/components/state-view';
import { formatRelative } from '@/lib/time';
import { openPage, routes } from '@/platform/navigation';
import { useWhileVisible } from '@/platform/visibility';
import { useStrategyStore } from '@/stores/manager-strategy-store';
import './manager.scss';
import './strategies.scss';

function Kpi({ label, value, hint, tone }: { label: string; value: string; hint?: string; tone?: 'bad' }) {
  return (
    <View className={`sk-kpi${tone ? ` sk-kpi--${tone}` : ''}`}>
      <Text className='sk-kpi__value'>{value}</Text>
      <Text className='sk-kpi__label'>{label}</Text>
      {hint ? <Text className='sk-kpi__hint'>{hint}</Text> : null}
    </View>
  );
}

/** The manager home's top: today's new leads, overdue first contacts, the follow-up rate, and the latest notices. */
export function StoreKpis() {
  const { home, homeLoad, homeError } = useStrategyStore(useShallow((s) => ({ home: s.home, homeLoad: s.homeLoad, homeError: s.homeError })));
  useEffect(() => {
    void useStrategyStore.getState().loadHome();
  }, []);
  const now = Date.now();
  let body;
  if (!home && homeLoad === 'error') body = <ErrorState message={homeError?.userMessage ?? '门店数据加载失败'} onRetry={() => void useStrategyStore.getState().loadHome()} />;
  else if (!home) body = <LoadingState rows={1} label='正在加载门店数据…' />;
  else
    body = (
      <>
        <View className='sk-kpis'>
          <Kpi label='今日新线索' value={String(home.kpis.newLeadsToday)} />
          <Kpi label='首次联系超时' value={String(home.kpis.overdueFirstContacts)} tone={home.kpis.overdueFirstContacts ? 'bad' : undefined} />
          <Kpi label='7天跟进率' value={`${home.kpis.followUpRate}%`} hint={`${home.kpis.followedUp}/${home.kpis.activeLeads} 位在跟客户`} />
        </View>
        {home.notices.length ? (
          <View className='sk-notices'>
            {home.notices.slice(0, 3).map((n) => (
              <Text key={n.id} className='sk-notice'>{`${n.text} · ${formatRelative(n.at, now)}`}</Text>
            ))}
          </View>
        ) : null}
      </>
    );
  return (
    <View className='sk-store-top'>
      {body}
    </View>
  );
}

/** The store's strategies, newest first, and the way to a new one. */
export function StrategyList() {
  const { list, listLoad, listError, notice } = useStrategyStore(useShallow((s) => ({ list: s.list, listLoad: s.listLoad, listError: s.listError, notice: s.notice })));
  useEffect(() => {
    void useStrategyStore.getState().loadList();
  }, []);
  const now = Date.now();
  let body;
  if (listLoad === 'error') body = <ErrorState message={listError?.userMessage ?? '策略加载失败'} onRetry={() => void useStrategyStore.getState().loadList()} />;
  else if (listLoad !== 'ready') body = <LoadingState label='正在加载策略…' />;
  else if (!list.length) body = <EmptyState title='还没有营销策略' description='选择人群、素材和发送时间，设置反应规则后下发给顾问' actionText='新建策略' onAction={() => openPage(routes.managerStrategyEdit)} />;
  else
    body = list.map((s) => (
      <View key={s.id} className='sk-strat' hoverClass='sk-strat--pressed' onClick={() => openPage(routes.managerStrategy, { id: s.id })}>
        <Text className='sk-strat__name'>{s.name}</Text>
        <Text className='sk-strat__meta'>{s.status === 'issued' ? `已下发 ${s.invited} 位客户 · ${formatRelative(s.issuedAt ?? s.updatedAt, now)}` : `草稿 · ${formatRelative(s.updatedAt, now)}编辑`}</Text>
      </View>
    ));
  return (
    <View className='sk-mgr'>
      {notice ? <Text className='sk-mgr__notice'>{notice}</Text> : null}
      <View className='sk-strat-head'>
        <ActionButton onTap={() => openPage(routes.managerStrategyEdit)}>新建策略</ActionButton>
      </View>
      {body}
    </View>
  );
}

function Chips<T extends string | number>({ options, value, onPick }: { options: readonly { id: T; label: string }[]; value: T | undefined; onPick: (id: T) => void }) {
  return (
    <View className='sk-chips'>
      {options.map((o) => (
        <Text key={String(o.id)} className={`sk-chip sk-chip--tap${o.id === value ? ' sk-chip--on' : ''}`} onClick={() => onPick(o.id)}>
          {o.label}
        </Text>
      ))}
    </View>
  );
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <View className='sk-field'>
      <Text className='sk-field__label'>{label}</Text>
      {children}
    </View>
  );
}

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const HOURS = [24, 48, 72].map((h) => ({ id: h, label: `${h}小时` }));
const TIMES = [
  { id: '540-1260', label: `${hhmm(540)}-${hhmm(1260)}` },
  { id: '600-1200', label: `${hhmm(600)}-${hhmm(1200)}` },
  { id: '1080-1260', label: `${hhmm(1080)}-${hhmm(1260)}（下班后）` },
];

/** The strategy builder: audience, material, channel, send window and the reaction tree's presets, then save and issue. */
export function StrategyBuilder({ onIssued }: { onIssued: (id: string) => void }) {
  const s = useStrategyStore(useShallow((st) => ({ draft: st.draft, audiences: st.audiences, materials: st.materials, choicesLoad: st.choicesLoad, choicesError: st.choicesError, saving: st.saving, saveError: st.saveError })));
  useEffect(() => {
    void useStrategyStore.getState().loadChoices();
  }, []);
  const { edit } = useStrategyStore.getState();
  const d = s.draft;
  if (s.choicesLoad === 'error') return <ErrorState message={s.choicesError?.userMessage ?? '加载失败'} onRetry={() => void useStrategyStore.getState().loadChoices()} />;
  if (s.choicesLoad !== 'ready') return <LoadingState label='正在加载人群和素材…' />;
  if (!s.audiences.length) return <EmptyState title='还没有保存的人群' description='先在人群圈选中保存一个人群，再用它建策略' />;
  const ready = !!d.name.trim() && !!d.audienceId && !!d.materialId;
  return (
    <View className='sk-mgr sk-builder'>
      <View className='sk-builder__col'>
        <Field label='策略名称'>
          <Input className='sk-input' value={d.name} placeholder='例如：SUV 试驾周末' maxlength={30} onInput={(e) => edit({ name: e.detail.value })} />
        </Field>
        <Field label='目标人群'>
          <Chips options={s.audiences.map((a) => ({ id: a.id, label: `${a.name}${a.count !== null ? `（${a.count}人）` : ''}` }))} value={d.audienceId} onPick={(id) => edit({ audienceId: id })} />
        </Field>
        <Field label='发送素材'>
          <Chips options={s.materials.map((m) => ({ id: m.id, label: m.title }))} value={d.materialId} onPick={(id) => edit({ materialId: id })} />
        </Field>
        <Field label='发送方式'>
          <Chips options={(Object.keys(STRATEGY_CHANNEL_LABELS) as StrategyChannel[]).map((c) => ({ id: c, label: STRATEGY_CHANNEL_LABELS[c] }))} value={d.channel} onPick={(c) => edit({ channel: c })} />
        </Field>
        <Field label='发送日期'>
          <Chips options={[3, 7, 14].map((n) => ({ id: n, label: `今天起${n}天` }))} value={d.days} onPick={(n) => edit({ days: n })} />
        </Field>
        <Field label='发送时段'>
          <Chips options={TIMES} value={`${d.fromMinute}-${d.toMinute}`} onPick={(id) => { const [f, t] = id.split('-').map(Number); edit({ fromMinute: f, toMinute: t }); }} />
          <Chips options={[{ id: 'on', label: '午休免打扰 12:00-13:30' }, { id: 'off', label: '不设免打扰' }]} value={d.quietNoon ? 'on' : 'off'} onPick={(v) => edit({ quietNoon: v === 'on' })} />
        </Field>
      </View>
      <View className='sk-builder__col'>
        <Field label='反应规则'>
          <View className='sk-rule'>
            <Chips options={[{ id: 'on', label: '未打开则再次邀约' }, { id: 'off', label: '不再邀约' }]} value={d.reinvite.on ? 'on' : 'off'} onPick={(v) => edit({ reinvite: { ...d.reinvite, on: v === 'on' } })} />
            {d.reinvite.on ? <Chips options={HOURS} value={d.reinvite.hours} onPick={(h) => edit({ reinvite: { ...d.reinvite, hours: h } })} /> : null}
          </View>
          <View className='sk-rule'>
            <Chips options={[{ id: 'on', label: '已打开未报名则电话回访' }, { id: 'off', label: '不生成回访' }]} value={d.callBack.on ? 'on' : 'off'} onPick={(v) => edit({ callBack: { ...d.callBack, on: v === 'on' } })} />
            {d.callBack.on ? <Chips options={HOURS} value={d.callBack.hours} onPick={(h) => edit({ callBack: { ...d.callBack, hours: h } })} /> : null}
          </View>
          <View className='sk-rule'>
            <Chips options={[{ id: 'on', label: '停留≥30秒通知店长' }, { id: 'off', label: '不通知' }]} value={d.longView ? 'on' : 'off'} onPick={(v) => edit({ longView: v === 'on' })} />
          </View>
          <View className='sk-rule'>
            <Chips options={[{ id: 'on', label: '报名后通知店长' }, { id: 'off', label: '报名不通知' }]} value={d.notifyOnRegister ? 'on' : 'off'} onPick={(v) => edit({ notifyOnRegister: v === 'on' })} />
          </View>
        </Field>
        <Field label='对照组（不发送，用于衡量效果）'>
          <Chips options={[0, 10, 20].map((n) => ({ id: n, label: n ? `${n}%` : '不设对照组' }))} value={d.holdoutPercent} onPick={(n) => edit({ holdoutPercent: n })} />
        </Field>
        {s.saveError ? <Text className='sk-mgr__notice sk-mgr__notice--failed'>{s.saveError.userMessage}</Text> : null}
        <ActionButton block disabled={!ready || s.saving} onTap={() => void useStrategyStore.getState().saveAndIssue(Date.now()).then((id) => id && onIssued(id))}>
          {s.saving ? '正在下发…' : '保存并下发给顾问'}
        </ActionButton>
      </View>
    </View>
  );
}

function ConsultantRow({ f }: { f: FunnelView }) {
  return (
    <View className='sk-live__row'>
      <Text className='sk-live__name'>{f.label}</Text>
      {f.steps.map((s) => (
        <Text key={s.key} className='sk-live__cell'>{s.count}</Text>
      ))}
    </View>
  );
}

/** How far an issue that is still going (or gave up) got. */
function issuingText(j: JobProgress): string {
  const done = `已处理 ${j.processed} / ${j.total} 位客户`;
  return j.status === 'failed' ? `下发中断：${done}，请稍后重新下发` : `正在下发：${done}`;
}

/** Live progress of a strategy per consultant, its funnels by channel and consultant, and the holdout's baseline. */
export function StrategyProgressView({ strategyId }: { strategyId: string }) {
  const { progress, progressLoad, progressError } = useStrategyStore(useShallow((s) => ({ progress: s.progress, progressLoad: s.progressLoad, progressError: s.progressError })));
  useEffect(() => {
    void useStrategyStore.getState().loadProgress(strategyId);
  }, [strategyId]);
  // Live: read again every 5 s while the page is visible.
  useWhileVisible(() => {
    const timer = setInterval(() => void useStrategyStore.getState().loadProgress(strategyId, true), 5000);
    return () => clearInterval(timer);
  });
  if (progressLoad === 'error' && !progress) return <ErrorState message={progressError?.userMessage ?? '进度加载失败'} onRetry={() => void useStrategyStore.getState().loadProgress(strategyId)} />;
  if (!progress || progress.strategy.id !== strategyId) return <LoadingState label='正在加载进度…' />;
  const p = progress;
  return (
    <View className='sk-mgr sk-progress'>
      <View className='sk-progress__head'>
        <Text className='sk-progress__name'>{p.strategy.name}</Text>
        <Text className='sk-progress__meta'>{[p.strategy.audience?.name, p.strategy.material?.title, STRATEGY_CHANNEL_LABELS[p.strategy.channel]].filter(Boolean).join(' · ')}</Text>
        {p.strategy.ruleLines.map((l) => (
          <Text key={l} className='sk-progress__rule'>{l}</Text>
        ))}
        {p.strategy.issuing ? <Text className='sk-progress__rule'>{issuingText(p.strategy.issuing)}</Text> : null}
      </View>
      {p.total.steps[0].count === 0 && p.strategy.issuing?.status !== 'failed' && p.strategy.issuing ? (
        <LoadingState label='正在下发任务…' />
      ) : p.total.steps[0].count === 0 ? (
        <EmptyState title='还没有客户收到任务' description='人群中没有可下发的客户，或全部在对照组中' />
      ) : (
        <View className='sk-progress__grid'>
          <View className='sk-card'>
            <Text className='sk-card__title'>顾问实时进度</Text>
            <View className='sk-live'>
              <View className='sk-live__row sk-live__row--head'>
                <Text className='sk-live__name'>顾问</Text>
                {p.total.steps.map((s) => (
                  <Text key={s.key} className='sk-live__cell'>{s.label}</Text>
                ))}
              </View>
              {p.byConsultant.map((f) => (
                <ConsultantRow key={f.label} f={f} />
              ))}
            </View>
            <Text className='sk-card__foot'>{`打开者平均停留 ${p.averageDwellSeconds} 秒 · 每5秒刷新`}</Text>
          </View>
          <View className='sk-card'>
            <Text className='sk-card__title'>策略漏斗</Text>
            <FunnelBars funnel={p.total} />
            {p.holdout ? <Text className='sk-card__foot'>{`对照组 ${p.holdout.members} 人：转化率 ${p.holdout.holdoutRate}%，触达组 ${p.holdout.treatedRate}%，提升 ${p.holdout.upliftPoints} 个百分点`}</Text> : null}
          </View>
          {p.byChannel.map((f) => (
            <View key={f.label} className='sk-card'>
              <Text className='sk-card__title'>{`渠道：${f.label}`}</Text>
              <FunnelBars funnel={f} compact />
            </View>
          ))}
          {p.byConsultant.map((f) => (
            <View key={f.label} className='sk-card'>
              <Text className='sk-card__title'>{`顾问：${f.label}`}</Text>
              <FunnelBars funnel={f} compact />
            </View>
          ))}
        </View>
      )}
    </View>
  );
}
