import { useEffect, useRef, useState } from 'react';
import { View, Text } from '@tarojs/components';
import { useShallow } from 'zustand/react/shallow';
import { GRADE_LABELS, UNGRADED_LABEL, type LeadFilterOptions } from '@/contract';
import { FilterBar } from '@/components/filter-bar';
import { FilterSheet } from '@/components/filter-sheet';
import { LeadList, pagedListProps, type LeadListProps } from '@/components/lead-list';
import type { RowWindow } from '@/components/lead-list-window';
import { stageLabel } from '@/lib/labels';
import { openPage, routes } from '@/platform/navigation';
import { scrollPageToTop } from '@/platform/viewport';
import { useLeadsStore } from '@/stores/leads-store';
import { filterParams, isFiltered, sheetFilterCount, type GradeFilter, type LeadFilters } from '@/stores/leads-store-filters';
import { useLeadsViewStore, type LeadsView } from '@/stores/leads-view-store';
import { usePoolStore } from '@/stores/pool-store';
import { useSessionStore } from '@/stores/session-store';
import { SEARCH_DEBOUNCE_MS, searchQuery } from '@/lib/search-text';
import { useVirtualRows } from './use-virtual-rows';
import './my-leads.scss';

const VIEWS: { id: LeadsView; label: string }[] = [
  { id: 'mine', label: '我的线索' },
  { id: 'pool', label: '公海' },
];

/** The row the virtual list measures: a card of the list on this tab, not of another page. */
const ROW = '.sk-my-leads .sk-lead-row';

interface FilterControls {
  filters: LeadFilters;
  setFilters(patch: Partial<LeadFilters>): Promise<void>;
  clearFilters(): Promise<void>;
}

const gradeWords = (grades: GradeFilter[]) =>
  grades.map((g) => (g === 'none' ? UNGRADED_LABEL : GRADE_LABELS[g])).join('/');

/** The filters in force, in words, e.g. “1234” · H/A级 · 潜客 · 星途揽月. */
function describe(f: LeadFilters, options?: LeadFilterOptions): string {
  const name = (list: { id: string; name: string }[] | undefined, id?: string) => (id ? (list?.find((o) => o.id === id)?.name ?? '已选') : '');
  return [
    f.q ? `“${f.q}”` : '',
    gradeWords(f.grades),
    f.stages.map((s) => stageLabel[s]).join('/'),
    name(options?.models, f.modelId),
    name(options?.channels, f.channel),
    name(options?.tags, f.tagId),
  ]
    .filter(Boolean)
    .join(' · ');
}

/** What an empty list says: nothing at all, or nothing for these filters (with a way out). */
function emptyProps(c: FilterControls, plain: { title: string; description: string }): Pick<LeadListProps, 'emptyTitle' | 'emptyDescription' | 'emptyAction'> {
  if (!isFiltered(c.filters)) return { emptyTitle: plain.title, emptyDescription: plain.description };
  return {
    emptyTitle: c.filters.q ? `没有找到“${c.filters.q}”` : '没有符合条件的线索',
    emptyDescription: c.filters.q ? '试试客户姓名的一部分，或手机号后4位' : '换个条件试试，或清除筛选看全部线索',
    emptyAction: { text: '清除筛选', onPress: () => void clear(c) },
  };
}

function apply(c: FilterControls, patch: Partial<LeadFilters>): Promise<void> {
  scrollPageToTop();
  return c.setFilters(patch);
}

function clear(c: FilterControls): Promise<void> {
  scrollPageToTop();
  return c.clearFilters();
}

function Filters({ controls, pool }: { controls: FilterControls; pool: boolean }) {
  const { filters } = controls;
  const { options, optionsStatus, optionsError, sheetOpen, openSheet, closeSheet, loadOptions } = useLeadsViewStore();
  // While the sheet is open its counts follow the filters: pick 潜客 and each model says how many of them.
  const optionsQuery = { ...filterParams(filters), ...(pool ? { pool: true } : {}) };
  const optionsKey = JSON.stringify(optionsQuery);
  useEffect(() => {
    if (sheetOpen) void loadOptions(optionsQuery);
  }, [sheetOpen, optionsKey]); // the query is rebuilt every render; its key says when it changed
  const [text, setText] = useState(filters.q);
  // The q last sent to the list: typing ahead of it waits; a change from elsewhere (clear) resets the box.
  const sent = useRef(filters.q);
  const latest = useRef(controls);
  latest.current = controls;

  useEffect(() => {
    if (filters.q === sent.current) return;
    sent.current = filters.q;
    setText(filters.q);
  }, [filters.q]);

  useEffect(() => {
    const q = searchQuery(text);
    if (q === sent.current) return undefined;
    const timer = setTimeout(() => {
      sent.current = q;
      void apply(latest.current, { q });
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const toggleGrade = (g: GradeFilter) =>
    void apply(controls, { grades: filters.grades.includes(g) ? filters.grades.filter((x) => x !== g) : [...filters.grades, g] });

  return (
    <View>
      <FilterBar
        text={text}
        onText={setText}
        grades={filters.grades}
        onToggleGrade={toggleGrade}
        sheetCount={sheetFilterCount(filters)}
        onOpenSheet={openSheet}
        summary={describe(filters, options)}
        onClearAll={() => void clear(controls)}
      />
      <FilterSheet
        visible={sheetOpen}
        value={filters}
        options={options}
        status={optionsStatus}
        errorMessage={optionsError?.userMessage}
        onRetry={() => void loadOptions(optionsQuery)}
        onChange={(patch) => void apply(controls, patch)}
        onClear={() => void apply(controls, { stages: [], tagId: undefined, modelId: undefined, channel: undefined })}
        onClose={closeSheet}
      />
    </View>
  );
}

/** Rows from the end of what is loaded at which the next page is fetched while scrolling. */
const PREFETCH_ROWS = 8;

/** Fetches the next page once the rendered rows come near the end of the loaded ones. */
function usePrefetch(rows: RowWindow | undefined, count: number, loadMore: () => Promise<void>) {
  const end = rows?.end ?? 0;
  const near = rows !== undefined && count > 0 && end >= count - PREFETCH_ROWS;
  useEffect(() => {
    if (near) void loadMore();
  }, [near, count, loadMore]);
}

function MineList() {
  const leads = useLeadsStore(useShallow((s) => s));
  const rows = useVirtualRows(leads.items.length, ROW);
  usePrefetch(rows, leads.items.length, leads.loadMore);
  useEffect(() => {
    if (useLeadsStore.getState().status === 'idle') void useLeadsStore.getState().load();
  }, []);
  return (
    <View>
      <Filters key='mine' controls={leads} pool={false} />
      <LeadList
        {...pagedListProps(leads)}
        {...emptyProps(leads, { title: '暂无线索', description: '分配给你的线索会出现在这里，也可以去公海领取' })}
        rows={rows}
        now={Date.now()}
        onOpen={(lead) => openPage(routes.customer, { id: lead.id })}
      />
    </View>
  );
}

function PoolList() {
  const pool = usePoolStore(useShallow((s) => s));
  const rows = useVirtualRows(pool.items.length, ROW);
  usePrefetch(rows, pool.items.length, pool.loadMore);
  useEffect(() => {
    if (usePoolStore.getState().status === 'idle') void usePoolStore.getState().load();
  }, []);
  return (
    <View>
      <Filters key='pool' controls={pool} pool />
      {pool.notice ? <Text className={`sk-my-leads__notice sk-my-leads__notice--${pool.notice.kind}`}>{pool.notice.text}</Text> : null}
      <LeadList
        {...pagedListProps(pool)}
        {...emptyProps(pool, { title: '公海暂无线索', description: '门店未分配或被回收的线索会出现在这里' })}
        rows={rows}
        now={Date.now()}
        onOpen={(lead) => openPage(routes.customer, { id: lead.id })}
        cardAction={{ label: '领取', busyId: pool.claimingId, onPress: (lead) => void pool.claim(lead) }}
      />
    </View>
  );
}

/** The 线索 tab: the consultant's own leads, best first with the reason, or the store's pool to claim from. */
export function MyLeads() {
  const name = useSessionStore((s) => s.me?.name);
  const { view, setView } = useLeadsViewStore();
  return (
    <View className='sk-my-leads'>
      {view === 'pool' ? (
        <View className='sk-my-leads__head'>
          <Text className='sk-my-leads__title'>门店公海</Text>
          <Text className='sk-my-leads__hint'>暂无人跟进的客户，领取后归你</Text>
        </View>
      ) : (
        <View className='sk-my-leads__head'>
          <Text className='sk-my-leads__title'>{name ? `${name}的线索` : '我的线索'}</Text>
          <Text className='sk-my-leads__hint'>按意向等级和评分排序</Text>
        </View>
      )}
      <View className='sk-my-leads__views'>
        {VIEWS.map((v) => (
          <Text
            key={v.id}
            className={`sk-my-leads__view${view === v.id ? ' sk-my-leads__view--on' : ''}`}
            onClick={() => {
              if (v.id !== view) scrollPageToTop();
              setView(v.id);
            }}
          >
            {v.label}
          </Text>
        ))}
      </View>
      {view === 'mine' ? <MineList /> : <PoolList />}
    </View>
  );
}

const active = () => (useLeadsViewStore.getState().view === 'pool' ? usePoolStore.getState() : useLeadsStore.getState());

/** For the page's scroll-to-bottom and pull-to-refresh: they act on the list on screen. */
export const loadMoreLeads = (): Promise<void> => active().loadMore();
export const refreshLeads = (): Promise<void> => active().load();
