/** Tags: assignments with ancestors, city tiers and rule tags. */
export * from './assign';
export * from './city-tier';
export * from './rules';
