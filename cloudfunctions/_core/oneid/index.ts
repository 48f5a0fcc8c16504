/** OneID: identifier rules, resolution plans, merges and their undo. */
export * from './identifiers';
export * from './customer';
export * from './resolve';
export * from './merge';
export * from './batch';
