/** The article audiences; plain data in `types/` so the editor offers them as one-tap templates. */
export { AUDIENCE_TEMPLATES, HIGH_INTENT_ACTIVE, SUV_TEST_DRIVE } from '../../../types/article-audiences';
