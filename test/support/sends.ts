/**
 * Sends for tests of the customer's side, made before the consultant's side sends anything: a
 * SendDoc as the consultant's one-tap send stores it, and its tracked link signed as
 * `_core/links.ts` signs it, with the stack's own secret.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signLink } from '../../cloudfunctions/_core/links';
import type { SendDoc } from '../../types/model';
import type { TestStack } from './stack';

export const stackSecret = (stack: TestStack) => readFileSync(join(stack.dataDir, 'session-secret'), 'utf8').trim();

/** Stores a send of `activityId`'s invitation to the customer and returns it with its link token. */
export function makeSend(stack: TestStack, fields: Pick<SendDoc, 'customerId' | 'storeId' | 'consultantId'> & Partial<SendDoc>): { send: SendDoc; link: string } {
  const send: SendDoc = {
    _id: randomBytes(16).toString('base64url'),
    materialId: 'mat-invite-test',
    activityId: 'act-suv-weekend',
    channel: 'wecom_chat',
    marketing: true,
    at: stack.clock.now(),
    ...fields,
  };
  stack.emulator.db.insertOne('sends', send);
  return { send, link: signLink(send._id, stackSecret(stack)) };
}

/** A device token as the H5 page makes one. */
export const deviceToken = () => randomBytes(18).toString('base64url');
/** A page visit / share id. */
export const clientId = () => randomBytes(12).toString('base64url');
