/**
 * The API contract as the app sees it: types only, so zod and the server's code never enter
 * the bundle. Import contract types from here (`@/contract`).
 */
export type * from '../types/api';
/** The product's Chinese words (plain data, shared with the functions). */
export * from '../types/vocabulary';
/** The audience rule language (types) and the article audiences as one-tap templates (plain data). */
export type * from '../types/audience';
export { AUDIENCE_TEMPLATES } from '../types/article-audiences';
/** Catalog lists the audience editor offers (plain data, shared with the functions). */
export { TAGS } from '../types/tags';
export { MODELS } from '../types/car-models';
export { CHANNELS } from '../types/channels';
export { TOUCHPOINT_TYPES, MODEL_LINES, PROPERTY_RULES } from '../types/catalog';
export type { PropertyRule } from '../types/catalog';
