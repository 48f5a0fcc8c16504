/** Lead allocation: round-robin with expertise, pool claims, SLA, recycling, reassignment, ranking. */
export * from './policy';
export * from './allocate';
export * from './claim';
export * from './sla';
export * from './recycle';
export * from './reassign';
export * from './rank';
