/** Long jobs in resumable slices: runs, leases, budgets, failures and progress. */
export * from './job';
