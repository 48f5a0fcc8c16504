import { useEffect } from 'react';
import { View, Text, Input, Textarea } from '@tarojs/components';
import { useShallow } from 'zustand/react/shallow';
import { MATERIAL_KIND_LABELS, type MaterialKind, type MaterialView } from '@/contract';
import { EmptyState, ErrorState, LoadingState } from '@/components/state-view';
import { formatTimeRange } from '@/lib/time';
import { showToast } from '@/platform/feedback';
import { useMaterialsStore, type DraftField, type KindTab } from '@/stores/manager-materials-store';
import './manager.scss';
import './materials.scss';

/** The tabs in the order a store works with them. */
const KINDS: MaterialKind[] = ['invitation', 'article', 'poster', 'video', 'live', 'miniprogram', 'script'];
const TABS: { tab: KindTab; label: string }[] = [{ tab: 'all', label: '全部' }, ...KINDS.map((k) => ({ tab: k, label: MATERIAL_KIND_LABELS[k] }))];

const store = () => useMaterialsStore.getState();

export const refreshMaterials = () => Promise.all([store().load(), store().loadCap()]).then(() => undefined);

function CapCard() {
  const cap = useMaterialsStore((s) => s.cap);
  if (cap.status === 'error' && !cap.saved) {
    return (
      <View className='sk-mlib__cap'>
        <Text className='sk-mlib__cap-title'>营销频率上限</Text>
        <Text className='sk-mlib__error'>{cap.error ?? '加载失败，请稍后重试'}</Text>
        <Text className='sk-mlib__btn sk-mlib__btn--plain' onClick={() => void store().loadCap()}>
          重试
        </Text>
      </View>
    );
  }
  if (!cap.saved) return <LoadingState rows={1} label='正在加载频率上限…' />;
  const dirty = cap.touches !== String(cap.saved.touches) || cap.days !== String(cap.saved.days);
  return (
    <View className='sk-mlib__cap' data-cap>
      <Text className='sk-mlib__cap-title'>营销频率上限{cap.saved.isDefault ? '（默认）' : ''}</Text>
      <View className='sk-mlib__cap-row'>
        <Text>每位客户</Text>
        <View className='sk-mlib__num'>
          <Input className='sk-mlib__num-input' type='number' maxlength={2} aria-label='天数' value={cap.days} onInput={(e) => store().setCapField('days', e.detail.value)} />
        </View>
        <Text>天内最多收到</Text>
        <View className='sk-mlib__num'>
          <Input className='sk-mlib__num-input' type='number' maxlength={2} aria-label='次数' value={cap.touches} onInput={(e) => store().setCapField('touches', e.detail.value)} />
        </View>
        <Text>次营销触达</Text>
        <Text className={`sk-mlib__btn sk-mlib__btn--primary${dirty && !cap.saving ? '' : ' sk-mlib__btn--off'}`} onClick={() => dirty && !cap.saving && void store().saveCap()}>
          {cap.saving ? '保存中…' : '保存'}
        </Text>
      </View>
      {cap.errors.days ? <Text className='sk-mlib__field-error'>{`天数：${cap.errors.days}`}</Text> : null}
      {cap.errors.touches ? <Text className='sk-mlib__field-error'>{`次数：${cap.errors.touches}`}</Text> : null}
      {cap.error ? <Text className='sk-mlib__field-error'>{cap.error}</Text> : null}
      {cap.notice ? <Text className='sk-mlib__notice'>{cap.notice}</Text> : null}
      <Text className='sk-mlib__hint'>策略发送、群发和素材发送都计入，对所有顾问生效；顾问在聊天中发送的话术不计入。</Text>
    </View>
  );
}

function MaterialRow({ m }: { m: MaterialView }) {
  const a = m.activity;
  return (
    <View className={`sk-mlib__row${m.storeOwned ? '' : ' sk-mlib__row--brand'}`} data-material={m.id}>
      <View className='sk-mlib__row-main'>
        <View className='sk-mlib__row-head'>
          <Text className='sk-mlib__kind'>{MATERIAL_KIND_LABELS[m.kind]}</Text>
          <Text className='sk-mlib__title'>{m.title}</Text>
        </View>
        {a ? <Text className='sk-mlib__meta'>{`${a.title} · ${formatTimeRange(a.startAt, a.endAt)} · 已报名${a.registered}/${a.capacity}`}</Text> : null}
        <Text className='sk-mlib__summary'>{m.kind === 'script' ? (m.body ?? m.summary) : m.summary || '（无摘要）'}</Text>
        <Text className='sk-mlib__owner'>{m.storeOwned ? '本店素材' : '品牌素材 · 只读'}</Text>
      </View>
      {m.storeOwned ? (
        <View className='sk-mlib__row-actions'>
          {m.archived ? null : (
            <Text className='sk-mlib__btn sk-mlib__btn--plain' onClick={() => store().startEdit(m)}>
              编辑
            </Text>
          )}
          <Text className='sk-mlib__btn sk-mlib__btn--plain' onClick={() => store().askArchive(m)}>
            {m.archived ? '恢复' : '下架'}
          </Text>
        </View>
      ) : null}
    </View>
  );
}

function Field({ label, error, children, name }: { label: string; error?: string; children: JSX.Element; name: DraftField }) {
  return (
    <View className={`sk-mlib__field sk-mlib__field--${name}${error ? ' sk-mlib__field--bad' : ''}`}>
      <Text className='sk-mlib__label'>{label}</Text>
      {children}
      {error ? <Text className='sk-mlib__field-error'>{error}</Text> : null}
    </View>
  );
}

function Editor() {
  const { editor, activities, activitiesStatus } = useMaterialsStore(useShallow((s) => ({ editor: s.editor, activities: s.activities, activitiesStatus: s.activitiesStatus })));
  if (!editor) return null;
  const d = editor.draft;
  const e = editor.errors;
  const isNew = !d.id;
  return (
    <View className='sk-dialog' onClick={() => store().closeEditor()}>
      <View className='sk-dialog__box sk-mlib__editor' role='dialog' aria-label='编辑素材' onClick={(ev) => ev.stopPropagation()}>
        <Text className='sk-dialog__title'>{isNew ? `新建${MATERIAL_KIND_LABELS[d.kind]}` : `编辑${MATERIAL_KIND_LABELS[d.kind]}`}</Text>
        {isNew ? (
          <Field label='类型' name='kind' error={e.kind}>
            <View className='sk-mlib__chips'>
              {KINDS.map((k) => (
                <Text key={k} className={`sk-mlib__chip${k === d.kind ? ' sk-mlib__chip--on' : ''}`} onClick={() => store().setField('kind', k)}>
                  {MATERIAL_KIND_LABELS[k]}
                </Text>
              ))}
            </View>
          </Field>
        ) : null}
        <Field label='标题' name='title' error={e.title}>
          <Input className='sk-mlib__input' value={d.title} maxlength={60} placeholder={d.kind === 'script' ? '例如：周末试驾提醒' : '例如：SUV 试驾周末 · 浦东店'} onInput={(ev) => store().setField('title', ev.detail.value)} />
        </Field>
        {d.kind === 'script' ? (
          <Field label='话术内容' name='body' error={e.body}>
            <Textarea className='sk-mlib__textarea' value={d.body} maxlength={2000} placeholder='顾问发送给客户的原文，例如：周六上午十点试驾车已为您备好，到店报我名字即可。' onInput={(ev) => store().setField('body', ev.detail.value)} />
          </Field>
        ) : (
          <Field label='摘要' name='summary' error={e.summary}>
            <Textarea className='sk-mlib__textarea sk-mlib__textarea--short' value={d.summary} maxlength={200} placeholder='卡片上显示的一两句话' onInput={(ev) => store().setField('summary', ev.detail.value)} />
          </Field>
        )}
        {d.kind === 'invitation' ? (
          <Field label='邀请参加的活动' name='activityId' error={e.activityId}>
            <View className='sk-mlib__chips'>
              {activitiesStatus === 'loading' || activitiesStatus === 'idle' ? <Text className='sk-mlib__hint'>正在加载本店活动…</Text> : null}
              {activitiesStatus === 'error' ? <Text className='sk-mlib__hint'>活动加载失败，请关闭后重试</Text> : null}
              {activitiesStatus === 'ready' && !activities.length ? <Text className='sk-mlib__hint'>本店近期没有活动</Text> : null}
              {activities.map((a) => (
                <Text key={a.id} className={`sk-mlib__chip sk-mlib__chip--wide${a.id === d.activityId ? ' sk-mlib__chip--on' : ''}`} onClick={() => store().setField('activityId', a.id)}>
                  {`${a.title} · ${formatTimeRange(a.startAt, a.endAt)}`}
                </Text>
              ))}
            </View>
          </Field>
        ) : null}
        {d.kind !== 'script' ? (
          <Field label='封面图片链接（选填）' name='coverUrl' error={e.coverUrl}>
            <Input className='sk-mlib__input' value={d.coverUrl} maxlength={500} placeholder='https://' onInput={(ev) => store().setField('coverUrl', ev.detail.value)} />
          </Field>
        ) : null}
        {editor.error ? <Text className='sk-dialog__error'>{editor.error}</Text> : null}
        <View className='sk-dialog__actions'>
          {!isNew ? (
            <Text
              className='sk-mlib__btn sk-mlib__btn--danger-plain'
              onClick={() => {
                const m = store().items.find((x) => x.id === d.id);
                if (m) store().askArchive(m);
              }}
            >
              下架
            </Text>
          ) : null}
          <Text className='sk-mlib__btn sk-mlib__btn--plain' onClick={() => store().closeEditor()}>
            取消
          </Text>
          <Text
            className={`sk-mlib__btn sk-mlib__btn--primary${editor.saving ? ' sk-mlib__btn--off' : ''}`}
            onClick={() => {
              if (!editor.saving) void store().save().then((done) => done && showToast('已保存'));
            }}
          >
            {editor.saving ? '保存中…' : '保存'}
          </Text>
        </View>
      </View>
    </View>
  );
}

function ArchiveConfirm() {
  const { m, busy, error } = useMaterialsStore(useShallow((s) => ({ m: s.confirming, busy: s.confirmBusy, error: s.confirmError })));
  if (!m) return null;
  return (
    <View className='sk-dialog sk-mlib__confirm' onClick={() => store().cancelArchive()}>
      <View className='sk-dialog__box' role='dialog' aria-label={m.archived ? '恢复素材' : '下架素材'} onClick={(ev) => ev.stopPropagation()}>
        <Text className='sk-dialog__title'>{m.archived ? `恢复《${m.title}》？` : `下架《${m.title}》？`}</Text>
        <Text className='sk-dialog__text'>{m.archived ? '恢复后顾问可以再次选择发送。' : '下架后顾问不能再发送它；已发出的链接和数据保留，可在“已下架”中恢复。'}</Text>
        {error ? <Text className='sk-dialog__error'>{error}</Text> : null}
        <View className='sk-dialog__actions'>
          <Text className='sk-mlib__btn sk-mlib__btn--plain' onClick={() => store().cancelArchive()}>
            取消
          </Text>
          <Text
            className={`sk-mlib__btn ${m.archived ? 'sk-mlib__btn--primary' : 'sk-mlib__btn--danger'}${busy ? ' sk-mlib__btn--off' : ''}`}
            onClick={() => {
              if (!busy) void store().confirmArchive().then((done) => done && showToast(m.archived ? '已恢复' : '已下架'));
            }}
          >
            {busy ? '处理中…' : m.archived ? '确认恢复' : '确认下架'}
          </Text>
        </View>
      </View>
    </View>
  );
}

/** 素材库 for the store's manager: the store's own materials and 话术 (editable), the brand's (read-only), and the frequency cap. */
export function MaterialsView() {
  const { items, status, error, tab, archived } = useMaterialsStore(useShallow((s) => ({ items: s.items, status: s.status, error: s.error, tab: s.tab, archived: s.archived })));
  useEffect(() => {
    if (store().status === 'idle') void store().load();
    if (store().cap.status === 'idle') void store().loadCap();
  }, []);
  const shown = items.filter((m) => tab === 'all' || m.kind === tab);
  const own = shown.filter((m) => m.storeOwned);
  const brand = shown.filter((m) => !m.storeOwned);
  const newKind: MaterialKind = tab === 'all' ? 'script' : tab;
  return (
    <View className='sk-mgr sk-mlib'>
      <CapCard />
      <View className='sk-mlib__bar'>
        <View className='sk-mlib__tabs'>
          {TABS.map((t) => (
            <Text key={t.tab} className={`sk-mlib__tab${t.tab === tab ? ' sk-mlib__tab--on' : ''}`} onClick={() => store().setTab(t.tab)}>
              {t.label}
            </Text>
          ))}
        </View>
        <View className='sk-mlib__bar-actions'>
          <Text className='sk-mlib__btn sk-mlib__btn--plain' onClick={() => store().showArchived(!archived)}>
            {archived ? '返回使用中' : '已下架'}
          </Text>
          {archived ? null : (
            <Text className='sk-mlib__btn sk-mlib__btn--primary sk-mlib__new' onClick={() => store().startNew(newKind)}>
              {`新建${MATERIAL_KIND_LABELS[newKind]}`}
            </Text>
          )}
        </View>
      </View>
      {archived ? <Text className='sk-mlib__hint'>已下架的本店素材：顾问看不到，可以恢复。</Text> : null}
      {status === 'error' ? <ErrorState title='素材加载失败' message={error?.userMessage ?? '请稍后重试'} onRetry={() => void store().load()} /> : null}
      {status === 'loading' || status === 'idle' ? <LoadingState rows={3} label='正在加载素材…' /> : null}
      {status === 'ready' && !shown.length ? (
        <EmptyState title={archived ? '没有已下架的素材' : '这一类还没有素材'} description={archived ? '下架的素材会出现在这里' : '点“新建”添加本店素材，顾问在发送时即可选用'} />
      ) : null}
      {status === 'ready' && own.length ? (
        <View className='sk-mlib__section'>
          <Text className='sk-mlib__section-title'>{`本店素材（${own.length}）`}</Text>
          {own.map((m) => (
            <MaterialRow key={m.id} m={m} />
          ))}
        </View>
      ) : null}
      {status === 'ready' && brand.length ? (
        <View className='sk-mlib__section'>
          <Text className='sk-mlib__section-title'>{`品牌素材（${brand.length}）`}</Text>
          <Text className='sk-mlib__hint'>由品牌统一提供，门店不能修改。</Text>
          {brand.map((m) => (
            <MaterialRow key={m.id} m={m} />
          ))}
        </View>
      ) : null}
      <Editor />
      <ArchiveConfirm />
    </View>
  );
}
