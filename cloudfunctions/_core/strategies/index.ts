export * from './rules';
export * from './window';
export * from './holdout';
export * from './funnel';
export * from './describe';
export * from './validate';
