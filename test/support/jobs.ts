/** Waiting for the resumable jobs a test started (they run on in the local cloud after the call that started them). */
import type { JobDoc } from '../../types/model';
import type { LocalStack } from '../../scripts/local-stack';

export const jobDoc = (stack: Pick<LocalStack, 'emulator'>, id: string): JobDoc | undefined =>
  (stack.emulator.db.find('jobs', { _id: id }, { limit: 1 }) as JobDoc[])[0];

/** Polls the job until it is done or failed (its continuations run in the background) and returns it. */
export async function settledJob(stack: Pick<LocalStack, 'emulator'>, id: string, timeoutMs = 60_000): Promise<JobDoc> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = jobDoc(stack, id);
    if (job && (job.status === 'done' || job.status === 'failed') && job.leaseUntil === 0) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} did not finish within ${timeoutMs} ms: ${JSON.stringify(job)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
