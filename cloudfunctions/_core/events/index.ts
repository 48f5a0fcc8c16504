/** Events: validation of the track input, day counters, activity state and profile projection. */
export * from './day-buckets';
export * from './validate';
export * from './activity';
export * from './project';
