// H5 entry of the invitation. It is a .ts file on purpose: Taro resolves a page by extension
// first (.ts before .tsx), so an index.h5.tsx would lose to the weapp native page's index.ts.
export { default } from './h5-page';
