import { proxyActivities, type ActivityInterfaceFor, type ActivityOptions } from '@temporalio/workflow';

// The three ways an RoE activity runs. Each process's table (workflows/<process>/activities.ts)
// gives every one of its activities one of them.

/**
 * Recording and talking to the cluster: unbounded on purpose. A store or cluster outage is waited
 * out, and data the store refuses fails for good (StoreRefusedData), so a retry is only ever
 * waiting for the store or the cluster to come back.
 */
export const WAITED_OUT: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/** The same, for steps that read or write more at once (a policy's publication, a review report). */
export const WAITED_OUT_LONGER: ActivityOptions = { ...WAITED_OUT, startToCloseTimeout: '1 minute' };

/** Email never holds a process up: sends run beside it and retry for up to a day. */
export const EMAIL_BESIDE: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
};

/** What may never be lost (a digest holds updates back): retried for as long as it takes. */
export const NEVER_GIVEN_UP: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
};

/** A process's activities, each scheduled with the options its table gives it (and only its own). */
export function proxiedBy<Activities>(table: {
  [Name in keyof Activities]: ActivityOptions;
}): ActivityInterfaceFor<Activities> {
  const proxied = {} as ActivityInterfaceFor<Activities>;
  for (const name of Object.keys(table) as (keyof Activities)[]) {
    proxied[name] = proxyActivities<Activities>(table[name])[name];
  }
  return proxied;
}
