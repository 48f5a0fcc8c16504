/** Lead scoring: the tunable model, its validator, per-customer state, scores and reasons. */
export * from './model';
export * from './validate-model';
export * from './compile';
export * from './state';
export * from './score';
export * from './reasons';
export * from './synthetic';
export * from './ingest';
