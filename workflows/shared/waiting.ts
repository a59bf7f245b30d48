import { condition } from '@temporalio/workflow';

// Shared waiting logic of every process: wait for something to change, or until an instant.

/** Waits until `changed()` holds or the workflow clock reaches `at` (epoch ms); true if it changed. */
export async function changedBefore(changed: () => boolean, at: number): Promise<boolean> {
  const remaining = at - Date.now();
  if (remaining <= 0) return changed();
  return condition(changed, remaining);
}

/** A named instant a process waits for; the earliest one that has not fired is next. */
export interface Alarm<Name extends string = string> {
  name: Name;
  at: number;
}

/** The earliest alarm, or undefined when there is none. */
export function nextAlarm<Name extends string>(alarms: (Alarm<Name> | undefined)[]): Alarm<Name> | undefined {
  return alarms
    .filter((a): a is Alarm<Name> => a !== undefined)
    .reduce<Alarm<Name> | undefined>((soonest, a) => (!soonest || a.at < soonest.at ? a : soonest), undefined);
}

/**
 * Runs a timed phase: each round computes the alarms, waits for the earliest one or a change
 * (a human step through an update), then lets `onAlarm` act. Ends when `isOver()`.
 */
export async function runTimedPhase<Name extends string>(phase: {
  isOver: () => boolean;
  alarms: () => (Alarm<Name> | undefined)[];
  /** A counter that any change of the process increases. */
  changeCount: () => number;
  onAlarm: (alarm: Alarm<Name>) => Promise<void>;
}): Promise<void> {
  while (!phase.isOver()) {
    const seen = phase.changeCount();
    const alarm = nextAlarm(phase.alarms());
    if (!alarm) {
      await condition(() => phase.changeCount() !== seen || phase.isOver());
      continue;
    }
    const changed = await changedBefore(() => phase.changeCount() !== seen || phase.isOver(), alarm.at);
    if (!changed) await phase.onAlarm(alarm);
  }
}
