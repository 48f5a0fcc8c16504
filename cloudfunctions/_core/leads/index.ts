/** Lead lists and their management: filters and search, labels, cutoffs, reassignment to the pool. */
export * from './filters';
export * from './labels';
export * from './cutoffs';
export * from './reassign';
