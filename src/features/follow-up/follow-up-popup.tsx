import type { ReactNode } from 'react';
import { View, Text } from '@tarojs/components';
import { Input, Popup, TextArea } from '@nutui/nutui-react-taro';
import { useShallow } from 'zustand/react/shallow';
import { ActionButton } from '@/components/action-button';
import { showToast } from '@/platform/feedback';
import { followUpKindStyle } from '@/lib/labels';
import {
  useFollowUpSheetStore,
  type CallOutcome,
  type DraftField,
  type FollowUpKind,
  type LostReason,
} from '@/stores/profile-follow-up-store';
import { useProfileStore } from '@/stores/profile-store';
import './follow-up.scss';

const kinds = (Object.keys(followUpKindStyle) as FollowUpKind[]).map((kind) => ({ kind, ...followUpKindStyle[kind] }));

const outcomes: { value: CallOutcome; label: string }[] = [
  { value: 'connected', label: '已接通' },
  { value: 'no_answer', label: '未接通' },
  { value: 'busy', label: '忙线' },
  { value: 'wrong_number', label: '空号' },
];

const lostReasons: { value: LostReason; label: string }[] = [
  { value: 'bought_competitor', label: '已购竞品' },
  { value: 'bought_elsewhere', label: '他店购买' },
  { value: 'price', label: '价格原因' },
  { value: 'postponed', label: '暂缓购车' },
  { value: 'no_budget', label: '预算不足' },
  { value: 'unreachable', label: '联系不上' },
  { value: 'other', label: '其他' },
];

function Field({ label, error, children, name }: { label: string; error?: string; children: ReactNode; name: DraftField }) {
  return (
    <View className={`sk-fs__field sk-fs__field--${name}`}>
      <Text className='sk-fs__label'>{label}</Text>
      {children}
      {error ? <Text className='sk-fs__error'>{error}</Text> : null}
    </View>
  );
}

function Chips<T extends string>({ options, value, onPick }: { options: { value: T; label: string }[]; value?: T; onPick: (v: T) => void }) {
  return (
    <View className='sk-fs__chips'>
      {options.map((o) => (
        <Text key={o.value} className={`sk-fs__chip${o.value === value ? ' sk-fs__chip--on' : ''}`} onClick={() => onPick(o.value)}>
          {o.label}
        </Text>
      ))}
    </View>
  );
}

function AmountInput({ field, placeholder }: { field: 'price' | 'priceCut' | 'deposit'; placeholder: string }) {
  const value = useFollowUpSheetStore((s) => s.draft[field]);
  return (
    <Input
      className='sk-fs__input'
      type='digit'
      value={value}
      placeholder={placeholder}
      onChange={(v) => useFollowUpSheetStore.getState().setField(field, v)}
    />
  );
}

const noVehicles: never[] = [];

/**
 * The 记录跟进 sheet itself: the consultant picks what happened and fills in only what that kind
 * needs. Its code (and NutUI's inputs) loads when the sheet first opens (follow-up-popup-lazy).
 */
export function FollowUpPopup({ customerId, visible }: { customerId: string; visible: boolean }) {
  // The customer's vehicles of interest come first in the model picker.
  const vehiclesOfInterest = useProfileStore((s) => (s.profile?.id === customerId ? s.profile.vehiclesOfInterest : noVehicles));
  const { kind, draft, errors, submitting, submitError, models, modelsStatus, restored, unsent } = useFollowUpSheetStore(
    useShallow((s) => ({
      kind: s.kind,
      draft: s.draft,
      errors: s.errors,
      submitting: s.submitting,
      submitError: s.submitError,
      models: s.models,
      modelsStatus: s.modelsStatus,
      restored: s.restored,
      unsent: s.unsent,
    })),
  );
  const { close, chooseKind, setField, submit, discardDraft } = useFollowUpSheetStore.getState();

  const interest = new Set(vehiclesOfInterest.map((v) => v.modelId));
  const modelOptions = [
    ...vehiclesOfInterest.map((v) => ({ value: v.modelId, label: `${v.name}（意向）` })),
    ...models.filter((m) => !interest.has(m.id)).map((m) => ({ value: m.id, label: m.name })),
  ];
  const needsModel = kind === 'test_drive' || kind === 'quote' || kind === 'order';

  const onSave = async () => {
    if (await submit()) showToast('已记录');
  };

  return (
  <Popup className='sk-fs' visible={visible} position='bottom' round closeable title='记录跟进' onClose={close}>
    <View className='sk-fs__body'>
      {restored && !unsent ? (
        <View className='sk-fs__restored'>
          <Text className='sk-fs__restored-text'>已恢复上次没保存的内容</Text>
          <View className='sk-fs__restored-clear' onClick={discardDraft}>
            清空
          </View>
        </View>
      ) : null}
      <View className='sk-fs__kinds'>
        {kinds.map((k) => (
          <View key={k.kind} className={`sk-fs__kind${k.kind === kind ? ' sk-fs__kind--on' : ''}`} onClick={() => chooseKind(k.kind)}>
            <Text className='sk-fs__kind-glyph'>{k.glyph}</Text>
            <Text className='sk-fs__kind-label'>{k.label}</Text>
          </View>
        ))}
      </View>

      {kind === 'call' ? (
        <Field name='outcome' label='通话结果' error={errors.outcome}>
          <Chips options={outcomes} value={draft.outcome} onPick={(v) => setField('outcome', v)} />
        </Field>
      ) : null}

      {needsModel ? (
        <Field name='modelId' label={kind === 'test_drive' ? '试驾车型' : '车型'} error={errors.modelId}>
          <Chips options={modelOptions} value={draft.modelId} onPick={(v) => setField('modelId', v)} />
          {modelsStatus === 'loading' ? <Text className='sk-fs__hint'>正在加载全部车型…</Text> : null}
          {modelsStatus === 'error' ? <Text className='sk-fs__hint'>全部车型加载失败，可先从意向车型中选择</Text> : null}
        </Field>
      ) : null}

      {kind === 'quote' || kind === 'order' ? (
        <Field name='price' label={kind === 'quote' ? '报价（万元）' : '成交价（万元）'} error={errors.price}>
          <AmountInput field='price' placeholder='如 18.58' />
        </Field>
      ) : null}
      {kind === 'quote' ? (
        <Field name='priceCut' label='优惠（万元，选填）' error={errors.priceCut}>
          <AmountInput field='priceCut' placeholder='如 1.2' />
        </Field>
      ) : null}
      {kind === 'order' ? (
        <Field name='deposit' label='定金（元，选填）' error={errors.deposit}>
          <AmountInput field='deposit' placeholder='如 5000' />
        </Field>
      ) : null}

      {kind === 'lost' ? (
        <Field name='reason' label='战败原因' error={errors.reason}>
          <Chips options={lostReasons} value={draft.reason} onPick={(v) => setField('reason', v)} />
        </Field>
      ) : null}
      {kind === 'lost' && (draft.reason === 'bought_competitor' || draft.reason === 'bought_elsewhere') ? (
        <Field name='competitor' label='购买的品牌或门店（选填）' error={errors.competitor}>
          <Input
            className='sk-fs__input'
            value={draft.competitor}
            maxLength={40}
            placeholder='如 理想L7'
            onChange={(v) => setField('competitor', v)}
          />
        </Field>
      ) : null}

      {kind ? (
        <Field name='note' label={kind === 'note' ? '备注内容' : '备注（选填）'} error={errors.note}>
          <TextArea
            className='sk-fs__textarea'
            value={draft.note}
            maxLength={500}
            rows={3}
            placeholder={kind === 'note' ? '记下这次沟通的要点' : '补充说明'}
            onChange={(v) => setField('note', v)}
          />
        </Field>
      ) : (
        <Text className='sk-fs__hint sk-fs__hint--center'>选择这次跟进的方式</Text>
      )}

      {submitError ? <Text className='sk-fs__error sk-fs__error--form'>{submitError}</Text> : null}
      <View className='sk-fs__actions'>
        <ActionButton block disabled={!kind || submitting} onTap={() => void onSave()}>
          {submitting ? '正在保存…' : '保存'}
        </ActionButton>
      </View>
    </View>
  </Popup>  );
}
