import { lazySheet } from '@/components/lazy-sheet';

/** The grade sheet, downloaded (with NutUI's action sheet) when it first opens, not with the profile. */
export const GradeSheet = lazySheet(() => import('./grade-sheet').then((m) => m.GradeSheet));
