import { create } from 'zustand';
import type { FilterOption, FollowUpView, Params } from '@/contract';
import { localStore } from '@/platform/storage';
import { isOnline } from '@/platform/network';
import { callCloud } from '@/services/call-cloud';
import { toCloudError } from '@/services/cloud-error';
import { useProfileStore } from './profile-store';
import { useSessionStore } from './session-store';
import { registerReset } from './registry';

export type FollowUpInput = Params<'customers', 'followUp'>;
export type FollowUpKind = FollowUpView['kind'];
export type CallOutcome = Extract<FollowUpInput, { kind: 'call' }>['outcome'];
export type LostReason = Extract<FollowUpInput, { kind: 'lost' }>['reason'];

/** What the sheet's fields hold while the consultant fills them in (amounts as typed). */
export interface FollowUpDraft {
  outcome?: CallOutcome;
  modelId?: string;
  /** 万元, e.g. 18.58. */
  price: string;
  /** 万元. */
  priceCut: string;
  /** 元. */
  deposit: string;
  reason?: LostReason;
  competitor: string;
  note: string;
}

export type DraftField = keyof FollowUpDraft;
/** Chinese message per field, shown next to it. */
export type FieldErrors = Partial<Record<DraftField, string>>;

const emptyDraft: FollowUpDraft = { price: '', priceCut: '', deposit: '', competitor: '', note: '' };

/**
 * What the consultant typed for one customer, kept on the device until it is recorded: leaving
 * the page, closing the sheet or losing the network does not lose it. Its messageId goes with
 * it, so sending it again later records it once.
 */
export interface SavedDraft {
  messageId: string;
  kind?: FollowUpKind;
  draft: FollowUpDraft;
  /** A save was tried and no reply came (offline): it waits to be sent. */
  unsent: boolean;
}

/** Per consultant and customer: someone else signing in on this device never sees it. */
const draftKey = (customerId: string) => `sidekick-follow-up-draft:${useSessionStore.getState().me?.id ?? ''}:${customerId}`;

function readDraft(customerId: string): SavedDraft | undefined {
  try {
    const raw = localStore.getItem(draftKey(customerId));
    const saved = raw ? (JSON.parse(raw) as Partial<SavedDraft>) : undefined;
    if (!saved || typeof saved.messageId !== 'string' || !saved.draft) return undefined;
    return { messageId: saved.messageId, kind: saved.kind, draft: { ...emptyDraft, ...saved.draft }, unsent: saved.unsent === true };
  } catch {
    return undefined;
  }
}

const hasContent = (kind: FollowUpKind | undefined, d: FollowUpDraft) =>
  kind !== undefined || Object.values(d).some((v) => typeof v === 'string' && v.trim() !== '');

function writeDraft(customerId: string, saved: SavedDraft): void {
  try {
    if (hasContent(saved.kind, saved.draft)) localStore.setItem(draftKey(customerId), JSON.stringify(saved));
    else localStore.removeItem(draftKey(customerId));
  } catch {
    // Storage full or unavailable: the draft lives on in memory for this visit.
  }
}

function dropDraft(customerId: string): void {
  try {
    localStore.removeItem(draftKey(customerId));
  } catch {
    // Nothing kept, nothing to remove.
  }
}

interface FollowUpSheetState {
  visible: boolean;
  customerId?: string;
  /** One per follow-up (kept with its draft): a double tap, a retry or a send after going offline records once. */
  messageId: string;
  kind?: FollowUpKind;
  draft: FollowUpDraft;
  errors: FieldErrors;
  submitting: boolean;
  /** Chinese reason the last submit failed for, when it was not one field's fault. */
  submitError?: string;
  /** All models in the store's scope, for the model picker (the customer's own come first). */
  models: FilterOption[];
  modelsStatus: 'idle' | 'loading' | 'ready' | 'error';
  /** The draft on screen was kept from an earlier visit. */
  restored: boolean;
  /** A save failed for lack of network: the draft waits on the device to be sent. */
  unsent: boolean;
  /** What the device last said about its network. */
  online: boolean;
  /** Shows `customerId`'s kept draft, if any, without opening the sheet (the bar offers to send it). */
  attach(customerId: string): void;
  openSheet(customerId: string): void;
  close(): void;
  /** Throws the kept draft away and starts afresh. */
  discardDraft(): void;
  setOnline(online: boolean): void;
  chooseKind(kind: FollowUpKind): void;
  setField<K extends DraftField>(field: K, value: FollowUpDraft[K]): void;
  /** Records the follow-up; resolves true once it is stored (the profile then refreshes). */
  submit(): Promise<boolean>;
}

let sequence = 0;
/** 8-100 of [A-Za-z0-9_.:-], unique enough per device and opening. */
export function newMessageId(now: number = Date.now()): string {
  sequence = (sequence + 1) % 1_000_000;
  return `fu-${now.toString(36)}-${Math.random().toString(36).slice(2, 10)}-${sequence.toString(36)}`;
}

const AMOUNT = /^\d+(\.\d+)?$/;
/** 10,000,000 yuan: the server's ceiling for any amount. */
const MAX_YUAN = 10_000_000;

function amount(text: string, unit: number): number | undefined {
  const trimmed = text.trim();
  if (!AMOUNT.test(trimmed)) return undefined;
  return Math.round(Number(trimmed) * unit);
}

/** Checks the draft for `kind` and builds the call's params, or says which fields are wrong. */
export function buildFollowUp(
  customerId: string,
  messageId: string,
  kind: FollowUpKind,
  draft: FollowUpDraft,
): { params: FollowUpInput } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const note = draft.note.trim();
  if (note.length > 500) errors.note = '备注最多500个字';
  const base = { customerId, messageId, note };
  const needModel = () => {
    if (!draft.modelId) errors.modelId = '请选择车型';
    return draft.modelId ?? '';
  };
  const price = (): number => {
    const yuan = amount(draft.price, 10_000);
    if (draft.price.trim() === '') errors.price = '请填写价格';
    else if (yuan === undefined || yuan <= 0) errors.price = '请填写正确的价格，单位万元，如 18.58';
    else if (yuan > MAX_YUAN) errors.price = '价格不能超过1000万元';
    return yuan ?? 0;
  };
  const optionalAmount = (field: 'priceCut' | 'deposit', unit: number, limit: number | undefined, label: string): number => {
    if (draft[field].trim() === '') return 0;
    const value = amount(draft[field], unit);
    if (value === undefined) errors[field] = `请填写正确的${label}`;
    else if (limit !== undefined && value > limit) errors[field] = `${label}不能超过价格`;
    return value ?? 0;
  };

  let params: FollowUpInput;
  switch (kind) {
    case 'call':
      if (!draft.outcome) errors.outcome = '请选择通话结果';
      params = { ...base, kind, outcome: draft.outcome ?? 'connected' };
      break;
    case 'visit':
      params = { ...base, kind };
      break;
    case 'test_drive':
      params = { ...base, kind, modelId: needModel() };
      break;
    case 'quote': {
      const modelId = needModel();
      const p = price();
      params = { ...base, kind, modelId, price: p, priceCut: optionalAmount('priceCut', 10_000, errors.price ? undefined : p, '优惠金额') };
      break;
    }
    case 'order': {
      const modelId = needModel();
      const p = price();
      params = { ...base, kind, modelId, price: p, deposit: optionalAmount('deposit', 1, errors.price ? undefined : p, '定金') };
      break;
    }
    case 'lost': {
      if (!draft.reason) errors.reason = '请选择战败原因';
      const competitor = draft.competitor.trim();
      if (competitor.length > 40) errors.competitor = '竞品名称最多40个字';
      params = { ...base, kind, reason: draft.reason ?? 'other', ...(competitor ? { competitor } : {}) };
      break;
    }
    case 'note':
      if (!note) errors.note = '请填写备注内容';
      params = { ...base, kind, note };
      break;
  }
  return Object.keys(errors).length ? { errors } : { params };
}

/** The server's field issues in Chinese, next to the field they concern. */
const serverFieldMessages: Partial<Record<string, [DraftField, string]>> = {
  outcome: ['outcome', '请选择通话结果'],
  modelId: ['modelId', '请选择车型'],
  price: ['price', '价格不正确，请检查'],
  priceCut: ['priceCut', '优惠金额不正确，请检查'],
  deposit: ['deposit', '定金不正确，请检查'],
  reason: ['reason', '请选择战败原因'],
  competitor: ['competitor', '竞品名称不正确，请检查'],
  note: ['note', '备注不正确，请检查'],
};

const initial = {
  visible: false,
  customerId: undefined,
  messageId: '',
  kind: undefined,
  draft: emptyDraft,
  errors: {},
  submitting: false,
  submitError: undefined,
  restored: false,
  unsent: false,
};

/** The sheet's state for `customerId`: their kept draft, or a fresh one. */
function startFor(customerId: string) {
  const saved = readDraft(customerId);
  if (!saved) return { ...initial, customerId, messageId: newMessageId() };
  return { ...initial, customerId, messageId: saved.messageId, kind: saved.kind, draft: saved.draft, unsent: saved.unsent, restored: true };
}

/** What the consultant is told when a save could not reach the server. */
export const OFFLINE_SAVED = '网络不可用，这条跟进已保存在本机。联网后点“发送”即可，不会重复记录。';

export const useFollowUpSheetStore = create<FollowUpSheetState>()((set, get) => {
  const loadModels = async () => {
    if (get().modelsStatus === 'loading' || get().modelsStatus === 'ready') return;
    set({ modelsStatus: 'loading' });
    try {
      const { models } = await callCloud('leads', 'filters', {});
      set({ models, modelsStatus: 'ready' });
    } catch {
      set({ modelsStatus: 'error' });
    }
  };

  const keep = () => {
    const { customerId, messageId, kind, draft, unsent } = get();
    if (customerId) writeDraft(customerId, { messageId, kind, draft, unsent });
  };

  return {
    ...initial,
    models: [],
    modelsStatus: 'idle',
    online: isOnline(),
    attach: (customerId) => {
      if (get().customerId !== customerId) set(startFor(customerId));
    },
    openSheet: (customerId) => {
      set({ ...(get().customerId === customerId ? {} : startFor(customerId)), visible: true, submitError: undefined });
      void loadModels();
    },
    close: () => set({ visible: false, submitting: false }),
    discardDraft: () => {
      const { customerId } = get();
      if (customerId) dropDraft(customerId);
      set({ kind: undefined, draft: emptyDraft, errors: {}, submitError: undefined, restored: false, unsent: false, messageId: newMessageId() });
    },
    setOnline: (online) => set({ online }),
    chooseKind: (kind) => {
      set({ kind, errors: {}, submitError: undefined });
      keep();
    },
    setField: (field, value) => {
      const errors = { ...get().errors };
      delete errors[field];
      set({ draft: { ...get().draft, [field]: value }, errors });
      keep();
    },
    submit: async () => {
      const { customerId, messageId, kind, draft, submitting } = get();
      if (submitting || !customerId) return false;
      if (!kind) {
        set({ submitError: '请先选择跟进方式' });
        return false;
      }
      const built = buildFollowUp(customerId, messageId, kind, draft);
      if ('errors' in built) {
        set({ errors: built.errors, submitError: undefined });
        return false;
      }
      set({ submitting: true, submitError: undefined });
      try {
        await callCloud('customers', 'followUp', built.params);
      } catch (e) {
        const error = toCloudError(e);
        if (error.code === 'NETWORK') {
          // Nothing reached the server (or its answer never came back): keep it to send later, same messageId.
          set({ submitting: false, unsent: true, online: isOnline(), submitError: OFFLINE_SAVED });
          keep();
          return false;
        }
        const errors: FieldErrors = {};
        for (const issue of error.issues) {
          const mapped = serverFieldMessages[issue.field.split('.')[0] ?? ''];
          if (mapped) errors[mapped[0]] = mapped[1];
        }
        set({
          submitting: false,
          errors,
          submitError: Object.keys(errors).length ? undefined : error.userMessage,
        });
        return false;
      }
      dropDraft(customerId);
      // Ready for the next follow-up of this customer.
      set({ ...initial, customerId, messageId: newMessageId() });
      void useProfileStore.getState().refresh();
      return true;
    },
  };
});

registerReset(() => useFollowUpSheetStore.setState({ ...initial, models: [], modelsStatus: 'idle', online: isOnline() }));
