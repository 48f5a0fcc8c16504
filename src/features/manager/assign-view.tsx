import { useEffect } from 'react';
import { View, Text, Input } from '@tarojs/components';
import { useShallow } from 'zustand/react/shallow';
import { EmptyState, ErrorState, LoadingState } from '@/components/state-view';
import { showToast } from '@/platform/feedback';
import { openPage, routes } from '@/platform/navigation';
import { GRADE_FILTER_OPTIONS } from '@/contract';
import { POOL, useAssignStore } from '@/stores/manager-assign-store';
import { useSessionStore } from '@/stores/session-store';
import { ConsultantPicker } from './consultant-picker';
import { LeadTable } from './lead-table';
import { TeamStrip } from './team-strip';
import './manager.scss';


function Chip({ on, children, onTap }: { on: boolean; children: string; onTap: () => void }) {
  return (
    <Text className={`sk-chip${on ? ' sk-chip--on' : ''}`} onClick={onTap}>
      {children}
    </Text>
  );
}

function Filters() {
  const s = useAssignStore(useShallow((st) => ({ filters: st.filters, team: st.team, query: st.query })));
  const store = useAssignStore.getState;
  return (
    <View className='sk-asg__filters'>
      <View className='sk-asg__filter-row'>
        <Text className='sk-asg__label'>归属</Text>
        <Chip on={s.filters.owner === undefined} onTap={() => void store().setOwner(undefined)}>
          全部
        </Chip>
        <Chip on={s.filters.owner === POOL} onTap={() => void store().setOwner(POOL)}>
          公海
        </Chip>
        {s.team.map((m) => (
          <Chip key={m.id} on={s.filters.owner === m.id} onTap={() => void store().setOwner(m.id)}>
            {m.name}
          </Chip>
        ))}
      </View>
      <View className='sk-asg__filter-row'>
        <Text className='sk-asg__label'>级别</Text>
        {GRADE_FILTER_OPTIONS.map((g) => (
          <Chip key={g.id} on={s.filters.grades.includes(g.id)} onTap={() => void store().toggleGrade(g.id)}>
            {g.label}
          </Chip>
        ))}
        <Text className='sk-asg__label sk-asg__label--gap'>首次联系</Text>
        <Chip on={s.filters.overdueOnly} onTap={() => void store().setOverdueOnly(!s.filters.overdueOnly)}>
          只看超时
        </Chip>
        <View className='sk-asg__search'>
          <Input
            className='sk-asg__search-input'
            value={s.query}
            maxlength={20}
            placeholder='姓名或手机尾号'
            confirmType='search'
            onInput={(e) => store().setQuery(e.detail.value)}
            onConfirm={() => void store().search()}
          />
          <Text className='sk-btn sk-btn--plain sk-asg__search-go' onClick={() => void store().search()}>
            搜索
          </Text>
        </View>
      </View>
    </View>
  );
}

function emptyText(owner: string | undefined, overdueOnly: boolean, searched: boolean): { title: string; description: string } {
  if (searched) return { title: '没有找到匹配的客户', description: '换个姓名或手机尾号试试' };
  if (overdueOnly) return { title: '没有首次联系超时的线索', description: '顾问都按时联系了新线索' };
  if (owner === POOL) return { title: '公海里暂时没有线索', description: '未分配或被回收的线索会出现在这里' };
  if (owner) return { title: '这位顾问名下暂无线索', description: '可以从公海或其他顾问那里分配给 TA' };
  return { title: '门店暂无线索', description: '新线索进来后会出现在这里' };
}

function Table() {
  const s = useAssignStore(
    useShallow((st) => ({
      rows: st.rows,
      status: st.status,
      error: st.error,
      selected: st.selected,
      outcomes: st.outcomes,
      acting: st.acting,
      filters: st.filters,
      pageIndex: st.pageIndex,
      nextCursor: st.nextCursor,
    })),
  );
  const store = useAssignStore.getState;
  if (s.rows.length === 0 || s.status === 'error') {
    if (s.status === 'error') return <ErrorState message={s.error?.userMessage ?? '加载失败'} onRetry={() => void store().load()} />;
    if (s.status !== 'ready') return <LoadingState label='正在加载门店线索…' />;
    const { title, description } = emptyText(s.filters.owner, s.filters.overdueOnly, Boolean(s.filters.q));
    return <EmptyState title={title} description={description} />;
  }
  return (
    <View className={s.status === 'loading' ? 'sk-asg__stale' : undefined}>
      <LeadTable
        rows={s.rows}
        selected={s.selected}
        outcomes={s.outcomes}
        now={Date.now()}
        busy={s.acting}
        onToggle={(id) => store().toggleRow(id)}
        onToggleAll={() => store().toggleAllOnPage()}
        onReassign={(lead) => store().openPicker([lead.id])}
        onOpen={(lead) => openPage(routes.customer, { id: lead.id })}
      />
      <View className='sk-asg__pager'>
        <Text
          className={`sk-btn sk-btn--plain${s.pageIndex === 0 ? ' sk-btn--off' : ''}`}
          onClick={() => void store().previousPage()}
        >
          上一页
        </Text>
        <Text className='sk-asg__page'>第 {s.pageIndex + 1} 页</Text>
        <Text className={`sk-btn sk-btn--plain${s.nextCursor ? '' : ' sk-btn--off'}`} onClick={() => void store().nextPage()}>
          下一页
        </Text>
      </View>
    </View>
  );
}

function BulkBar() {
  const { selected, acting } = useAssignStore(useShallow((st) => ({ selected: st.selected, acting: st.acting })));
  const store = useAssignStore.getState;
  if (selected.length === 0) return <Text className='sk-asg__hint'>勾选线索后可批量分配给顾问或退回公海</Text>;
  return (
    <View className='sk-asg__bulk'>
      <Text className='sk-asg__count'>已选 {selected.length} 条</Text>
      <Text className={`sk-btn sk-btn--primary${acting ? ' sk-btn--off' : ''}`} onClick={() => !acting && store().openPicker(selected)}>
        分配给…
      </Text>
      <Text
        className={`sk-btn sk-btn--plain${acting ? ' sk-btn--off' : ''}`}
        onClick={() => void store().reassign(selected, POOL)}
      >
        退回公海
      </Text>
      <Text className='sk-asg__clear' onClick={() => store().clearSelection()}>
        取消选择
      </Text>
      {acting ? <Text className='sk-asg__acting'>正在处理…</Text> : null}
    </View>
  );
}

function Picker() {
  const { pickerFor, team, rows } = useAssignStore(useShallow((st) => ({ pickerFor: st.pickerFor, team: st.team, rows: st.rows })));
  if (!pickerFor) return null;
  const store = useAssignStore.getState;
  const single = pickerFor.length === 1 ? rows.find((r) => r.id === pickerFor[0]) : undefined;
  return (
    <ConsultantPicker
      count={pickerFor.length}
      team={team}
      currentOwnerId={single?.owner?.id}
      allowPool={Boolean(single?.owner)}
      onPick={(to) => void store().reassign(pickerFor, to)}
      onClose={() => store().closePicker()}
    />
  );
}

/** The store manager's assignment view: team load on top, the store's leads below, bulk actions. */
export function AssignView() {
  const storeName = useSessionStore((s) => s.me?.storeName);
  const notice = useAssignStore((s) => s.notice);

  useEffect(() => {
    const s = useAssignStore.getState();
    if (s.status === 'idle') void s.load();
    if (s.teamStatus === 'idle') void s.loadTeam();
  }, []);
  useEffect(() => {
    if (notice) showToast(notice.text);
  }, [notice]);

  const team = useAssignStore(useShallow((st) => ({ team: st.team, status: st.teamStatus, error: st.teamError, owner: st.filters.owner })));
  return (
    <View className='sk-mgr sk-asg'>
      <View className='sk-mgr__head'>
        <View>
          <Text className='sk-mgr__title'>线索分配</Text>
          <Text className='sk-mgr__sub'>{storeName ?? '门店'} · 按级别和评分排序</Text>
        </View>
      </View>
      <TeamStrip
        team={team.team}
        status={team.status}
        error={team.error}
        activeId={team.owner}
        onPick={(m) => void useAssignStore.getState().setOwner(team.owner === m.id ? undefined : m.id)}
        onRetry={() => void useAssignStore.getState().loadTeam()}
      />
      <Filters />
      {notice ? (
        <Text className={`sk-mgr__notice sk-mgr__notice--${notice.kind}`}>
          {notice.text}
        </Text>
      ) : null}
      <BulkBar />
      <Table />
      <Picker />
    </View>
  );
}

/** Pull-to-refresh: the team's load and the page of leads on screen. */
export const refreshAssign = async (): Promise<void> => {
  const s = useAssignStore.getState();
  await Promise.all([s.load(), s.loadTeam()]);
};
