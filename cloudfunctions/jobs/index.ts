/**
 * jobs: runs long jobs (rescoring, recycling) slice by slice. `continue` runs the next slice of
 * a job and hands it on while work is left; only other functions call it (a manager's save, a
 * timer that started a job, a slice before it). The `continue-jobs` timer, every minute, takes
 * up any unfinished job nobody is running: a continuation that never arrived, a crash, a failed
 * slice to retry. See docs/decisions/0010-resumable-jobs.md.
 */
import config from './config.json';
import { defineFunction } from '../_lib/entry';
import { continueIdleJobs, runAndContinue } from '../_lib/jobs';
import { sliceBudget } from '../_core/jobs';

const budget = sliceBudget(config.timeout);

export const main = defineFunction(
  'jobs',
  {},
  {
    internal: { continue: ({ jobId }, now) => runAndContinue(jobId, { budget, now }) },
    timers: { 'continue-jobs': (now) => continueIdleJobs({ budget, now }) },
  },
);
