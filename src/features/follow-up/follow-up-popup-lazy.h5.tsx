import { lazySheet } from '@/components/lazy-sheet';

/** 记录跟进's sheet, downloaded (with NutUI's inputs) when it first opens, not with the profile. */
export const FollowUpPopup = lazySheet(() => import('./follow-up-popup').then((m) => m.FollowUpPopup));
