import type { Store } from '../../src/store';
import { writingToStore } from './storeRefusal';

/** One step of a process as its workflow records it: the view after the step, numbered. */
export interface Transition<View> {
  view: View;
  /** Increases with every transition of one execution. */
  seq: number;
  actor: string;
  action: string;
  detail: Record<string, unknown>;
}

/**
 * How every process records a step, in one transaction: its read-model row (kept only if newer
 * than the one stored) and one audit event keyed by workflow id and step, so a retry adds nothing.
 */
export function recordingOf<View extends { id: string; workflowId: string }>(options: {
  /** The audit subject's kind: `registration:…`, `conflict:…`, `rollout:…`. */
  subject: string;
  save: (store: Store, view: View, seq: number) => Promise<unknown>;
  /** When the step happened, by the view. */
  at: (view: View) => string;
}): (store: Store, transition: Transition<View>) => Promise<void> {
  return async (store, { view, seq, actor, action, detail }) => {
    await writingToStore(store, async (tx) => {
      await options.save(tx, view, seq);
      await tx.audit.append(`${view.workflowId}#${seq}`, {
        subject: `${options.subject}:${view.id}`,
        at: options.at(view),
        actor,
        action,
        detail,
      });
    });
  };
}
