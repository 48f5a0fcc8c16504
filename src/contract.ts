/**
 * The API contract as the app sees it: types only, so zod and the server's code never enter
 * the bundle. Import contract types from here (`@/contract`).
 */
export type * from '../types/api';
/** The product's Chinese words (plain data, shared with the functions). */
export * from '../types/vocabulary';
