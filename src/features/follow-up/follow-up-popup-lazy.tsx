// The mini-program loads the sheet with the page; H5 loads it when first opened (`.h5.tsx`).
export { FollowUpPopup } from './follow-up-popup';
