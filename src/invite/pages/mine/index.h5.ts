// H5 entry of 我的报名 (a .ts file, as for the invitation: it must win over the native page's index.ts).
export { default } from './h5-page';
