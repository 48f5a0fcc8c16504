/**
 * customers: the live profile and timeline, follow-ups and grade, and OneID merges. Each group
 * of actions lives in its own file; this is the function's single entry.
 */
import { defineFunction } from '../_lib/entry';
import { followUpActions } from './follow-up-actions';
import { mergeActions } from './merge-actions';
import { profileActions } from './profile-actions';

export const main = defineFunction('customers', { ...profileActions, ...followUpActions, ...mergeActions });
