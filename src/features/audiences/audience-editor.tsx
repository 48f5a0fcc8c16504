import { useEffect } from 'react';
import { View, Text, Input } from '@tarojs/components';
import { useShallow } from 'zustand/react/shallow';
import { AUDIENCE_TEMPLATES, type AudiencePreview, type AudienceView } from '@/contract';
import { EmptyState, ErrorState, LoadingState } from '@/components/state-view';
import { useAudienceEditorStore } from '@/stores/audience-editor-store';
import { GroupEditor } from './rule-builder';
import './audiences.scss';

const TEMPLATE_LABELS: Record<string, string> = { high_intent_active: '高意向高活跃', suv_test_drive: 'SUV试驾' };
const fmt = (n: number) => n.toLocaleString('zh-CN');

function CountCard() {
  const preview = useAudienceEditorStore((s) => s.preview);
  const data: AudiencePreview | undefined = preview.data;
  let count;
  if (preview.status === 'error' && !data) count = <Text className='sk-aud-count__error'>{preview.error?.userMessage ?? '统计失败，请稍后重试'}</Text>;
  else if (!data) count = <Text className='sk-aud-count__num sk-aud-count__num--wait'>统计中…</Text>;
  else if (data.count === null) count = <Text className='sk-aud-count__num sk-aud-count__num--wait'>保存后统计</Text>;
  else
    count = (
      <Text className='sk-aud-count__num'>
        {fmt(data.count)}
        <Text className='sk-aud-count__unit'> 人</Text>
      </Text>
    );
  return (
    <View className={`sk-aud-count${preview.status === 'loading' ? ' sk-aud-count--busy' : ''}`} aria-live='polite'>
      <View className='sk-aud-count__top'>
        <Text className='sk-aud-count__label'>符合条件的客户</Text>
        {preview.status === 'loading' && data ? <Text className='sk-aud-count__busy'>更新中…</Text> : null}
      </View>
      {count}
      {data && data.count !== null ? <Text className='sk-aud-count__of'>{`占本店 ${fmt(data.total)} 位客户的 ${data.total ? ((data.count / data.total) * 100).toFixed(1) : '0'}%`}</Text> : null}
      {preview.status === 'error' && data ? <Text className='sk-aud-count__error'>{preview.error?.userMessage ?? '统计失败'}，显示的是上次结果</Text> : null}
      {data?.description ? <Text className='sk-aud-count__desc'>{data.description}</Text> : null}
      {data?.missing.length ? (
        <View className='sk-aud-missing'>
          <Text className='sk-aud-missing__title'>以下行为本店尚未统计，保存后将从历史记录补算，完成后显示人数：</Text>
          {data.missing.map((m) => (
            <Text key={m.counterId} className='sk-aud-missing__item'>
              · {m.description}
            </Text>
          ))}
        </View>
      ) : null}
    </View>
  );
}

function Sample() {
  const data = useAudienceEditorStore((s) => s.preview.data);
  if (!data || data.count === null) return null;
  if (!data.sample.length) return <EmptyState title='暂无符合条件的客户' description='放宽条件试试，比如延长时间范围或降低次数' />;
  return (
    <View className='sk-aud-sample'>
      <Text className='sk-aud-section'>客户示例</Text>
      {data.sample.map((m) => (
        <View key={m.customerId} className='sk-aud-member'>
          <Text className='sk-aud-member__name'>{m.name}</Text>
          <Text className='sk-aud-member__meta'>{[m.stageLabel, m.grade ? `${m.grade}级` : '未定级', m.ownerName ?? '公海'].join(' · ')}</Text>
        </View>
      ))}
    </View>
  );
}

function SaveBar() {
  const s = useAudienceEditorStore(useShallow((st) => ({ name: st.name, mode: st.mode, saving: st.saving, saveError: st.saveError, notice: st.notice, version: st.version })));
  const store = useAudienceEditorStore.getState;
  const ready = s.name.trim().length > 0 && !s.saving;
  return (
    <View className='sk-aud-save'>
      <Text className='sk-aud-section'>{s.version ? `保存修改（第 ${s.version} 版）` : '保存人群'}</Text>
      <Input className='sk-aud-name' value={s.name} maxlength={30} placeholder='人群名称，例如：SUV试驾周末邀约' onInput={(e) => store().setName(e.detail.value)} />
      <View className='sk-aud-chips'>
        <Text className={`sk-aud-chip${s.mode === 'dynamic' ? ' sk-aud-chip--on' : ''}`} onClick={() => store().setMode('dynamic')}>
          动态人群
        </Text>
        <Text className={`sk-aud-chip${s.mode === 'snapshot' ? ' sk-aud-chip--on' : ''}`} onClick={() => store().setMode('snapshot')}>
          固定快照
        </Text>
      </View>
      <Text className='sk-aud-hint'>{s.mode === 'dynamic' ? '动态人群随客户行为实时更新成员' : '快照在保存时固定成员名单，之后不再变化'}</Text>
      {s.saveError ? <Text className='sk-aud-count__error'>{s.saveError.code === 'CONFLICT' ? '这个人群刚被修改过，请刷新后再保存' : s.saveError.userMessage}</Text> : null}
      {s.notice ? <Text className='sk-aud-notice'>{s.notice}</Text> : null}
      <Text className={`sk-btn sk-btn--primary sk-aud-save__btn${ready ? '' : ' sk-btn--off'}`} onClick={() => ready && void store().save()}>
        {s.saving ? '正在保存…' : '保存'}
      </Text>
    </View>
  );
}

function SavedList() {
  const saved = useAudienceEditorStore((s) => s.saved);
  const store = useAudienceEditorStore.getState;
  let body;
  if (saved.status === 'error' && !saved.items.length) body = <ErrorState message={saved.error?.userMessage ?? '加载失败'} onRetry={() => void store().loadSaved()} />;
  else if (saved.status !== 'ready' && !saved.items.length) body = <LoadingState rows={2} label='正在加载已保存的人群…' />;
  else if (!saved.items.length) body = <EmptyState title='还没有保存的人群' description='从上方模板开始，调整条件后保存' />;
  else
    body = saved.items.map((a: AudienceView) => (
      <View key={a.id} className='sk-aud-saved' onClick={() => store().edit(a)}>
        <View className='sk-aud-saved__top'>
          <Text className='sk-aud-saved__name'>{a.name}</Text>
          <Text className='sk-aud-saved__count'>{a.count === null ? (a.backfill ? `补算中 ${a.backfill.processed}/${a.backfill.total}` : '统计中') : `${fmt(a.count)} 人`}</Text>
        </View>
        <Text className='sk-aud-saved__desc'>{a.description}</Text>
        <Text className='sk-aud-saved__meta'>{`${a.mode === 'snapshot' ? '固定快照' : '动态人群'} · 第 ${a.version} 版${a.updatedByName ? ` · ${a.updatedByName}` : ''}`}</Text>
      </View>
    ));
  return (
    <View className='sk-aud-list'>
      <Text className='sk-aud-section'>已保存的人群</Text>
      {body}
    </View>
  );
}

/** 人群: build an audience with a live count, start from the article templates, save it. */
export function AudienceEditor() {
  const { rule, templateId, version } = useAudienceEditorStore(useShallow((s) => ({ rule: s.rule, templateId: s.templateId, version: s.version })));
  const store = useAudienceEditorStore.getState;
  useEffect(() => {
    if (store().saved.status === 'idle') void store().loadSaved();
    if (store().preview.status === 'idle') void store().refreshPreview();
  }, []);
  return (
    <View className='sk-aud'>
      <View className='sk-aud__count'>
        <CountCard />
      </View>
      <View className='sk-aud__main'>
        <View className='sk-aud-templates'>
          <Text className='sk-aud-section'>从模板开始</Text>
          <View className='sk-aud-chips'>
            {AUDIENCE_TEMPLATES.map((t) => (
              <Text key={t.id} className={`sk-aud-chip sk-aud-template${templateId === t.id ? ' sk-aud-chip--on' : ''}`} data-template={t.id} onClick={() => store().applyTemplate(t.id)}>
                {TEMPLATE_LABELS[t.id] ?? t.name}
              </Text>
            ))}
            <Text className='sk-aud-chip' onClick={() => store().startNew()}>
              {version ? '新建人群' : '清空'}
            </Text>
          </View>
        </View>
        <Text className='sk-aud-section'>条件</Text>
        <GroupEditor node={rule.root} onChange={(root) => store().setRoot(root)} />
      </View>
      <View className='sk-aud__rest'>
        <Sample />
        <SaveBar />
        <SavedList />
      </View>
    </View>
  );
}
