import { lazySheet } from '@/components/lazy-sheet';

/** 发送's material picker and 下次跟进, each downloaded (with NutUI's popup) when first opened, not with the profile. */
export const MaterialPicker = lazySheet(() => import('./material-picker').then((m) => m.MaterialPicker));
export const ScheduleSheet = lazySheet(() => import('./schedule-sheet').then((m) => m.ScheduleSheet));
