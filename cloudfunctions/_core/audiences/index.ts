/** Audiences (人群圈选): the rule language, per-customer counters, one-customer and columnar evaluation. */
export * from './bitset';
export * from './columnar';
export * from './compile';
export * from './counters';
export * from './describe';
export * from './features';
export * from './match';
export * from './profile';
export * from './templates';
export * from './validate';
export * from './window';
