// The mini-program loads these sheets with the page; H5 loads each when first opened (`.h5.tsx`).
export { MaterialPicker } from './material-picker';
export { ScheduleSheet } from './schedule-sheet';
