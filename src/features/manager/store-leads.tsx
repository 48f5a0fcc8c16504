import { useEffect } from 'react';
import { View, Text } from '@tarojs/components';
import { useShallow } from 'zustand/react/shallow';
import { LeadList, pagedListProps } from '@/components/lead-list';
import { openPage, routes } from '@/platform/navigation';
import { useAssignStore } from '@/stores/manager-assign-store';
import { useSessionStore } from '@/stores/session-store';
import { useStoreLeadsStore } from '@/stores/leads-store';
import './store-leads.scss';

/** The manager's view of the store: every lead with its consultant, filterable by consultant. */
export function StoreLeads() {
  const leads = useStoreLeadsStore(useShallow((s) => s));
  const me = useSessionStore((s) => s.me);
  // Every consultant of the store, from the team (not only those whose leads happen to be loaded).
  const team = useAssignStore((s) => s.team);

  useEffect(() => {
    if (useStoreLeadsStore.getState().status === 'idle') void useStoreLeadsStore.getState().load();
    const assign = useAssignStore.getState();
    if (assign.teamStatus === 'idle' || assign.teamStatus === 'error') void assign.loadTeam();
  }, []);

  const chips = [{ id: undefined, name: '全部顾问' }, ...team.map((m) => ({ id: m.id, name: m.name }))];
  return (
    <View className='sk-store'>
      <View className='sk-store__head'>
        <View>
          <Text className='sk-store__title'>{me?.storeName ?? '门店'}</Text>
          <Text className='sk-store__sub'>门店线索 · 按意向等级和评分排序</Text>
        </View>
        <Text className='sk-store__me' onClick={() => openPage(routes.me)}>
          {me ? `${me.name} ›` : '我的 ›'}
        </Text>
      </View>
      <View className='sk-store__tools'>
        <View className='sk-store__tool' onClick={() => openPage(routes.managerAssign)}>
          <Text className='sk-store__tool-name'>线索分配</Text>
          <Text className='sk-store__tool-desc'>看顾问负载，批量分配或退回公海</Text>
        </View>
        <View className='sk-store__tool' onClick={() => openPage(routes.managerMerges)}>
          <Text className='sk-store__tool-name'>合并记录</Text>
          <Text className='sk-store__tool-desc'>查看客户档案合并，必要时撤销</Text>
        </View>
        <View className='sk-store__tool' onClick={() => openPage(routes.managerScoring)}>
          <Text className='sk-store__tool-name'>评分模型</Text>
          <Text className='sk-store__tool-desc'>调整评分规则和定级门槛，保存后重新评分</Text>
        </View>
        <View className='sk-store__tool' onClick={() => openPage(routes.managerAudiences)}>
          <Text className='sk-store__tool-name'>人群</Text>
          <Text className='sk-store__tool-desc'>按标签和行为圈选客户，实时看人数</Text>
        </View>
        <View className='sk-store__tool' onClick={() => openPage(routes.managerMaterials)}>
          <Text className='sk-store__tool-name'>素材库</Text>
          <Text className='sk-store__tool-desc'>编辑本店素材和话术，设置营销频率上限</Text>
        </View>
        <View className='sk-store__tool' onClick={() => openPage(routes.managerStrategies)}>
          <Text className='sk-store__tool-name'>营销策略</Text>
          <Text className='sk-store__tool-desc'>选人群和素材下发给顾问，查看实时进度与漏斗</Text>
        </View>
        <View className='sk-store__tool' onClick={() => openPage(routes.managerSync)}>
          <Text className='sk-store__tool-name'>主机厂同步</Text>
          <Text className='sk-store__tool-desc'>线索下发与跟进上传情况，失败记录重新发送</Text>
        </View>
      </View>
      <View className='sk-store__chips'>
        {chips.map((chip) => (
          <Text
            key={chip.id ?? 'all'}
            className={`sk-store__chip${leads.ownerId === chip.id ? ' sk-store__chip--on' : ''}`}
            onClick={() => void leads.filterByOwner(chip.id)}
          >
            {chip.name}
          </Text>
        ))}
      </View>
      <LeadList
        {...pagedListProps(leads)}
        now={Date.now()}
        showOwner
        emptyTitle={leads.ownerId ? '这位顾问暂无线索' : '门店暂无线索'}
        emptyDescription='新线索分配后会出现在这里'
        onOpen={(lead) => openPage(routes.customer, { id: lead.id })}
      />
    </View>
  );
}

export const loadMoreStoreLeads = (): Promise<void> => useStoreLeadsStore.getState().loadMore();
export const refreshStoreLeads = (): Promise<void> => useStoreLeadsStore.getState().load();
