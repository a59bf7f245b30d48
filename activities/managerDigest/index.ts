import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { managerDigestEmail } from '../../src/notify/digestEmails';
import type { OutgoingEmail } from '../../src/notify/mailer';
import type { ActivityDeps } from '../shared/deps';
import {
  MANAGER_DIGEST_WORKFLOW_TYPE,
  managerDigestWorkflowId,
  updateHeldSignal,
  type ManagerDigestInput,
} from '../../workflows/managerDigest/contract';

/** An email to people reached through an escalation role, with the link a digest lists it by. */
export interface ManagerEmail extends OutgoingEmail {
  link: string;
}

/** The digest rule needs every activity dependency; a window of 0 sends each email at once. */
type ManagerMailDeps = ActivityDeps;

/** Sends to managers under the digest rule; what it returns is the activity's answer. */
export type ManagerMailer = (email: ManagerEmail) => Promise<string>;

/**
 * The digest rule: a manager who had no RoE email within the window gets this one at once (and a
 * window opens); otherwise it waits, durably in the store, for the digest at the window's end,
 * which a workflow per manager and window sends (started here with signal-with-start).
 */
export function managerMailer(deps: ManagerMailDeps): ManagerMailer {
  return async (email) => {
    const { link, ...outgoing } = email;
    if (deps.managerDigestWindowMs === 0) return (await deps.mailer.send(outgoing)).messageId;
    const at = eventInstant();
    const atOnce: string[] = [];
    let held = 0;
    for (const address of new Set(email.to.map((a) => a.toLowerCase()))) {
      const item = { emailKey: email.key, subject: email.subject, link };
      const decision = await deps.store.managerDigests.decide(
        address,
        recipientKeyOf(address),
        item,
        at,
        deps.managerDigestWindowMs,
      );
      if (decision.send === 'at_once') {
        atOnce.push(address);
        continue;
      }
      held += 1;
      const input: ManagerDigestInput = {
        recipientKey: decision.recipientKey,
        window: decision.window,
        endsAt: decision.endsAt.toISOString(),
      };
      await digestAfterWindow(deps, input, email.key);
    }
    const sent = atOnce.length > 0 ? (await deps.mailer.send({ ...outgoing, to: atOnce })).messageId : undefined;
    return [sent, held > 0 ? `held for the digest of ${held} manager(s)` : undefined].filter(Boolean).join('; ');
  };
}

export function managerDigestActivities(deps: ManagerMailDeps) {
  return {
    /** The digest of one manager's window: every update held within it, listed once. */
    async sendManagerDigest(recipientKey: string, window: number): Promise<string> {
      const digest = await deps.store.managerDigests.takeDigest(
        recipientKey,
        window,
        eventInstant(),
        deps.managerDigestWindowMs,
      );
      if (!digest || digest.items.length === 0) return 'nothing was held in this window';
      const rendered = managerDigestEmail({ items: digest.items, publicUrl: deps.publicUrl });
      const key = `manager-digest/${recipientKey}/${window}`;
      return (await deps.mailer.send({ key, to: [digest.address], ...rendered })).messageId;
    },
  };
}

/** Makes sure the window's digest workflow runs (and tells it of the update); a repeat is harmless. */
async function digestAfterWindow(deps: ManagerMailDeps, input: ManagerDigestInput, emailKey: string): Promise<void> {
  const workflowId = managerDigestWorkflowId(input.recipientKey, input.window);
  const start = () =>
    deps.temporal.workflow.signalWithStart(MANAGER_DIGEST_WORKFLOW_TYPE, {
      workflowId,
      taskQueue: deps.taskQueue,
      args: [input],
      signal: updateHeldSignal,
      signalArgs: [emailKey],
    });
  try {
    await start();
  } catch (error) {
    // Two sends starting the same window at once: the loser finds it running on its second try.
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    await start();
  }
}

/** A manager's name in workflow ids and Message-IDs: a hash, since ids are not encrypted. */
export function recipientKeyOf(address: string): string {
  return createHash('sha256').update(address.toLowerCase(), 'utf8').digest('hex').slice(0, 24);
}

// The instant the workflow asked for the email, on the Temporal server's clock: a retry or a late
// worker does not move it, and the digest workflow sleeps to the window's end on that same clock.
function eventInstant(): Date {
  return new Date(Context.current().info.scheduledTimestampMs);
}

export type ManagerDigestActivities = ReturnType<typeof managerDigestActivities>;
