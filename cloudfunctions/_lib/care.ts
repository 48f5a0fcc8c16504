/**
 * Care automation for owners (保客关怀): once a day from 09:00 China time, birthday greetings
 * (owners born that day, an indexed read) and, on holidays, a greeting to every owner (a
 * resumable job, `care:<date>`, walked in slices like a rescore). Each owner is greeted by the
 * channel they can be reached on (`_core/care.planCare`): a task for their consultant (one tap
 * into WeCom, or a call), or a mini-program subscribe message the system records through the
 * sends' own path (`recordSend`: consent and the frequency cap in one transaction). Ids derive
 * from the occasion and the customer, so a second run the same day changes nothing.
 */
import { createHmac } from 'node:crypto';
import type { JobDoc } from '../../types/model';
import { birthdayOn, CARE_MATERIALS, holidayOn, planCare, type CareOccasion } from '../_core/care/occasions';
import { chinaDayStart } from '../_core/events/day-buckets';
import { inParallel } from '../_core/parallel';
import { linkSecret } from './config';
import { capOf, recordSend } from './sends';
import { createTasks, type NewTask } from './tasks';
import { continueLater } from './jobs';
import { customerRepo, type CareRow } from './repo/customers';
import { jobRepo } from './repo/jobs';
import { materialRepo } from './repo/materials';

/** Care starts at 09:00 China time. */
const CARE_FROM_MINUTE = 9 * 60;

/** A send id for a care message: derived (a rerun finds it) yet unguessable (keyed by the link secret). */
const careSendId = (occasion: CareOccasion, customerId: string) => createHmac('sha256', linkSecret()).update(`care:${occasion.key}:${customerId}`).digest('base64url').slice(0, 22);

export interface CareCounts {
  tasks: number;
  messages: number;
  skipped: number;
}

/** Greets these owners for the occasion; returns what was done. */
export async function greet(owners: readonly CareRow[], occasion: CareOccasion, now: number): Promise<CareCounts> {
  const out: CareCounts = { tasks: 0, messages: 0, skipped: 0 };
  if (!owners.length) return out;
  const material = await materialRepo.get(CARE_MATERIALS[occasion.kind]);
  if (!material) throw new Error(`care: material ${CARE_MATERIALS[occasion.kind]} is missing`);
  const caps = new Map<string, Awaited<ReturnType<typeof capOf>>>();
  for (const s of new Set(owners.map((o) => o.storeId))) caps.set(s, await capOf(s));
  const tasks: NewTask[] = [];
  const messages: CareRow[] = [];
  for (const o of owners) {
    const plan = planCare(o, caps.get(o.storeId)!, now);
    if (!plan.ok) {
      out.skipped++;
      continue;
    }
    if (plan.channel.by === 'message') messages.push(o);
    else {
      const call = plan.channel.send === 'call';
      tasks.push({
        _id: `care/${occasion.key}/${o._id}`,
        storeId: o.storeId,
        ownerId: o.ownerId!,
        customerId: o._id,
        kind: 'care',
        title: `${occasion.name}关怀：${call ? '电话问候' : '发送祝福'}`,
        note: material.summary,
        // Due by the evening of the day.
        dueAt: chinaDayStart(now) + 20 * 3_600_000,
        ...(call ? { completesOn: ['call'] } : { materialId: material._id }),
      });
    }
  }
  if (tasks.length) out.tasks = (await createTasks(tasks, now)).created.length;
  await inParallel(messages, 4, async (o) => {
    const r = await recordSend({ sendId: careSendId(occasion, o._id), customerId: o._id, storeId: o.storeId, consultantId: o.ownerId!, material, channel: 'subscribe' }, caps.get(o.storeId)!, now);
    if (r.sent && !r.repeated) out.messages++;
    else if (!r.sent) out.skipped++;
  });
  return out;
}

/** The holiday job's page: owners after the cursor, greeted for the holiday of the run's day. */
export async function careStep(job: JobDoc, limit: number, now: number) {
  const holiday = holidayOn(job.startedAt);
  const page = await customerRepo.ownersPage(job.cursor, limit);
  if (!page.length || !holiday) return { done: true as const };
  const r = await greet(page, { kind: 'holiday', key: holiday.key, name: holiday.name }, now);
  return { done: false as const, read: page.length, cursor: page[page.length - 1]._id, processed: page.length, changed: r.tasks + r.messages };
}

/** The timer's part: today's birthdays once, and on a holiday the job that greets every owner. */
export async function runCare(now: number): Promise<CareCounts & { holidayJob?: string }> {
  const none = { tasks: 0, messages: 0, skipped: 0 };
  if (now - chinaDayStart(now) < CARE_FROM_MINUTE * 60_000) return none;
  const birthday = birthdayOn(now);
  // Once a day: a marker job per day, started by whichever run gets there first.
  const marker = `care:${birthday.key}`;
  if (!(await jobRepo.claimOnce({ _id: marker, kind: 'care', total: 0 }, now))) return none;
  const born = await customerRepo.ownersBornOn(birthday.key.slice('birthday-YYYY-'.length));
  const counts = await greet(born, birthday, now);
  const holiday = holidayOn(now);
  if (!holiday) return counts;
  const id = `care:${holiday.key}`;
  if (!(await jobRepo.get(id))) {
    await jobRepo.start({ _id: id, kind: 'care', total: await customerRepo.countLive({ stage: 'owner' }) }, 'when-idle', now);
    await continueLater(id);
  }
  return { ...counts, holidayJob: id };
}
