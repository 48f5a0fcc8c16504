import { useEffect } from 'react';
import { View, Text, Input } from '@tarojs/components';
import { useShallow } from 'zustand/react/shallow';
import type { IntentGrade } from '@/contract';
import { EmptyState, ErrorState, LoadingState } from '@/components/state-view';
import { showToast } from '@/platform/feedback';
import { useWhileVisible } from '@/platform/visibility';
import { isDirty, JOB_POLL_MS, useScoringStore, type RescoreJob, type RuleKind, type ScoringModel } from '@/stores/manager-scoring-store';
import './manager.scss';

const GRADES: IntentGrade[] = ['H', 'A', 'B', 'C'];

/** Whole numbers only, a leading minus allowed (penalties); anything else is ignored while typing. */
const parsePoints = (text: string): number | undefined => (/^-?\d{1,3}$/.test(text.trim()) ? Number(text.trim()) : undefined);

function NumberField({ value, label, onChange }: { value: number; label: string; onChange: (n: number) => void }) {
  return (
    <View className={`sk-score__num${value < 0 ? ' sk-score__num--neg' : ''}`}>
      <Text className='sk-score__step' aria-label={`${label}减1`} onClick={() => onChange(value - 1)}>
        −
      </Text>
      <Input
        className='sk-score__input'
        type='text'
        value={String(value)}
        maxlength={4}
        aria-label={label}
        onInput={(e) => {
          const n = parsePoints(e.detail.value);
          if (n !== undefined) onChange(n);
        }}
      />
      <Text className='sk-score__step' aria-label={`${label}加1`} onClick={() => onChange(value + 1)}>
        +
      </Text>
    </View>
  );
}

function Grades({ grades }: { grades: ScoringModel['grades'] }) {
  const setGrade = useScoringStore.getState().setGrade;
  return (
    <View className='sk-score__card sk-score__grades'>
      <Text className='sk-score__card-title'>定级门槛</Text>
      <Text className='sk-score__card-sub'>总分（0-100）达到门槛即建议该级别，低于C级门槛不定级</Text>
      <View className='sk-score__grade-row'>
        {GRADES.map((g) => (
          <View key={g} className='sk-score__grade' data-grade={g}>
            <Text className='sk-score__grade-name'>{g}级 ≥</Text>
            <NumberField value={grades[g]} label={`${g}级最低分`} onChange={(n) => setGrade(g, n)} />
          </View>
        ))}
      </View>
    </View>
  );
}

interface RuleLine {
  id: string;
  label: string;
  points: number;
  reason: string;
  dailyCap?: number;
  windowDays?: number;
}

function Group({ kind, index, label, cap, rules }: { kind: RuleKind; index: number; label: string; cap: number; rules: RuleLine[] }) {
  const setRulePoints = useScoringStore.getState().setRulePoints;
  return (
    <View className='sk-score__card sk-score__group' data-group={`${kind}.${index}`}>
      <View className='sk-score__group-head'>
        <Text className='sk-score__card-title'>{label}</Text>
        <Text className='sk-score__cap'>上限 {cap} 分</Text>
      </View>
      {rules.map((rule, ri) => (
        <View key={rule.id} className='sk-score__rule' data-rule={rule.id}>
          <View className='sk-score__rule-main'>
            <Text className='sk-score__rule-label'>{rule.label}</Text>
            <Text className='sk-score__rule-meta'>
              {rule.windowDays !== undefined ? `近${rule.windowDays}天 · 每次${rule.points < 0 ? '扣' : '加'}分，每日至多 ${rule.dailyCap} 分` : '满足即计一次'}
            </Text>
          </View>
          <NumberField value={rule.points} label={`${rule.label}分值`} onChange={(n) => setRulePoints(kind, index, ri, n)} />
        </View>
      ))}
    </View>
  );
}

function Section({ kind, title, model }: { kind: RuleKind; title: string; model: ScoringModel }) {
  const part = model[kind];
  return (
    <View className='sk-score__section'>
      <Text className='sk-score__section-title'>
        {title} <Text className='sk-score__cap'>合计上限 {part.cap} 分</Text>
      </Text>
      {part.groups.length === 0 ? (
        <Text className='sk-score__empty'>暂无规则</Text>
      ) : (
        <View className='sk-score__groups'>
          {part.groups.map((g, gi) => (
            <Group key={g.id} kind={kind} index={gi} label={g.label} cap={g.cap} rules={g.rules} />
          ))}
        </View>
      )}
    </View>
  );
}

/** 20000 -> 20,000 (the mini-program's JS engine has no locale data to rely on). */
const grouped = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** The rescore that follows a save: 重新评分中 12,000/20,000 with a bar, then 已完成. */
function RescoreProgress({ job }: { job: RescoreJob }) {
  const done = Math.min(job.processed, job.total);
  const count = `${grouped(done)}/${grouped(job.total)}`;
  if (job.status === 'done') {
    return <Text className='sk-mgr__notice sk-mgr__notice--done sk-score__job'>{`已完成 · ${grouped(job.total)} 位客户已按新模型评分`}</Text>;
  }
  if (job.status === 'failed') {
    return <Text className='sk-mgr__notice sk-mgr__notice--failed sk-score__job'>{`重新评分未完成：已评分 ${count} 位客户，其余客户会在今晚的例行评分中按新模型更新`}</Text>;
  }
  const percent = job.total > 0 ? Math.floor((done / job.total) * 100) : 0;
  return (
    <View className='sk-mgr__notice sk-score__job sk-score__job--running'>
      <View className='sk-score__job-line'>
        <Text className='sk-score__job-count'>{`重新评分中 ${count}`}</Text>
        {job.failures > 0 ? <Text className='sk-score__job-retry'>遇到问题，正在自动重试</Text> : null}
      </View>
      <View className='sk-score__bar' role='progressbar' aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
        <View className='sk-score__bar-fill' style={{ width: `${percent}%` }} />
      </View>
    </View>
  );
}

/** The store manager's scoring model: grade thresholds and rule points, saved as a new version. */
export function ScoringView({ jobPollMs = JOB_POLL_MS }: { jobPollMs?: number } = {}) {
  const s = useScoringStore(
    useShallow((st) => ({
      saved: st.saved,
      draft: st.draft,
      isDefault: st.isDefault,
      status: st.status,
      error: st.error,
      saving: st.saving,
      notice: st.notice,
      job: st.job,
    })),
  );
  const store = useScoringStore.getState;
  // Only while the page is on screen: a hidden page asks nobody.
  useWhileVisible(() => useScoringStore.getState().followJob(jobPollMs));

  useEffect(() => {
    if (useScoringStore.getState().status === 'idle') void useScoringStore.getState().load();
  }, []);
  useEffect(() => {
    if (s.notice?.kind === 'done') showToast(s.notice.text);
  }, [s.notice]);

  const dirty = isDirty(s);
  const model = s.draft;
  let body;
  if (s.status === 'error' && !model) body = <ErrorState message={s.error?.userMessage ?? '加载失败'} onRetry={() => void store().load()} />;
  else if (!model) body = <LoadingState label='正在加载评分模型…' />;
  else if (model.fit.groups.length === 0 && model.engagement.groups.length === 0)
    body = <EmptyState title='评分模型里还没有规则' description='请联系管理员配置评分规则' />;
  else
    body = (
      <>
        <Grades grades={model.grades} />
        <Section kind='engagement' title='互动行为' model={model} />
        <Section kind='fit' title='客户画像' model={model} />
      </>
    );

  return (
    <View className='sk-mgr sk-score'>
      <View className='sk-mgr__head sk-score__head'>
        <View>
          <Text className='sk-mgr__title'>评分模型</Text>
          <Text className='sk-mgr__sub'>
            {s.saved ? `${s.saved.name} · 版本 ${s.saved.version}` : '线索评分规则'}
            {s.isDefault ? <Text className='sk-score__default'>默认模型</Text> : null}
          </Text>
        </View>
        {model ? (
          <View className='sk-score__actions'>
            {dirty ? <Text className='sk-score__dirty'>有未保存的修改</Text> : null}
            <Text className={`sk-btn sk-btn--plain${dirty && !s.saving ? '' : ' sk-btn--off'}`} onClick={() => dirty && !s.saving && store().discard()}>
              放弃修改
            </Text>
            <Text
              className={`sk-btn sk-btn--primary${dirty && !s.saving ? '' : ' sk-btn--off'}`}
              onClick={() => dirty && void store().save()}
            >
              {s.saving ? '正在保存…' : '保存并重新评分'}
            </Text>
          </View>
        ) : null}
      </View>
      {s.notice ? <Text className={`sk-mgr__notice sk-mgr__notice--${s.notice.kind}`}>{s.notice.text}</Text> : null}
      {s.job && s.job.modelVersion === s.saved?.version ? <RescoreProgress job={s.job} /> : null}
      <Text className='sk-asg__hint'>修改只在本页生效，点「保存并重新评分」后保存为新版本，门店所有客户随即在后台按新模型重新评分，进度显示在这里。负分为扣分项。</Text>
      {body}
    </View>
  );
}

export const refreshScoring = (): Promise<void> => useScoringStore.getState().load();
