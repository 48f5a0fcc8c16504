/** Lifecycle stage, replacement period and intent grade. */
export * from './stage';
export * from './replacement';
export * from './grade';
