/** Reference data shared by the cloud functions and the seed generator: pure data, no I/O. */
export * from './models';
export * from './channels';
export * from './touchpoints';
export * from './tags';
