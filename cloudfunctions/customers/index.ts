/**
 * customers: the live profile and timeline, the chat's customers, follow-ups and grade, and
 * OneID merges. Each group of actions lives in its own file; this is the function's single entry.
 */
import { defineFunction } from '../_lib/entry';
import { chatActions } from './chat-actions';
import { consentActions } from './consent-actions';
import { followUpActions } from './follow-up-actions';
import { mergeActions } from './merge-actions';
import { profileActions } from './profile-actions';

export const main = defineFunction('customers', { ...profileActions, ...chatActions, ...followUpActions, ...mergeActions, ...consentActions });
