import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { AddressObject } from 'mailparser';
import {
  ACCOUNT_CLAIMS_WORKFLOW_TYPE,
  accountClaimsStatusQuery,
  accountClaimsWorkflowId,
  type AccountClaimsWorkflow,
  claimUpdate,
  type ProductLineClaims,
} from '../../workflows/accountClaims/contract';
import {
  firstDecisionUpdate,
  REGISTRATION_WORKFLOW_TYPE,
  type RegistrationWorkflow,
  registrationStatusQuery,
} from '../../workflows/registration/contract';
import {
  POLICY_CHANGE_WORKFLOW_TYPE,
  type PolicyChangeWorkflow,
  policyChangeWorkflowId,
} from '../../workflows/policyChange/contract';
import type { PolicyVersion } from '../../src/store/policies';
import {
  registrationWorkflowId,
  type RegistrationInput,
  type RegistrationView,
} from '../../workflows/registration/contract';
import type { TimeSkippingClock, TimeSkippingStack } from '../helpers/timeSkipping';
import type { Outbox } from '../helpers/stack';
import { eventually } from '../helpers/eventually';
import type { RegistrationBuilder } from './builders';

// What the registration tests do again and again: submit, move the clock, read what a user sees.

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export type RegistrationHandle = WorkflowHandle<RegistrationWorkflow>;

export interface Submitted {
  input: RegistrationInput;
  handle: RegistrationHandle;
  /** The view right after the first evaluation, as the API's POST returns it. */
  view: RegistrationView;
}

/** Starts a registration (submitted now, on the server's clock) without waiting for anything. */
export async function startRegistration(
  stack: TimeSkippingStack,
  builder: RegistrationBuilder,
): Promise<{ input: RegistrationInput; handle: RegistrationHandle }> {
  const input = builder.submittedAtMs(await stack.env.currentTimeMs()).build();
  const handle = await stack.client.workflow.start<RegistrationWorkflow>(REGISTRATION_WORKFLOW_TYPE, {
    workflowId: registrationWorkflowId(input.registrationId),
    taskQueue: stack.taskQueue,
    args: [input],
  });
  return { input, handle };
}

/** Starts a registration and waits for its first decision, as POST /api/registrations does. */
export async function submit(stack: TimeSkippingStack, builder: RegistrationBuilder): Promise<Submitted> {
  const { input, handle } = await startRegistration(stack, builder);
  const view = await handle.executeUpdate(firstDecisionUpdate);
  return { input, handle, view };
}

/** Moves the test server's clock to `at` (epoch ms); timers due on the way fire in order. */
export async function sleepUntil(env: TimeSkippingClock, at: number): Promise<void> {
  const now = await env.currentTimeMs();
  if (at > now) await env.sleep(at - now);
}

/** The next instant after `after` that is `weekday` (0 = Sunday) at hh:mm UTC. */
export function nextUtc(after: number, weekday: number, hour: number, minute = 0): number {
  const day = new Date(after);
  for (let offset = 0; offset <= 8; offset++) {
    const candidate = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + offset, hour, minute);
    if (candidate > after && new Date(candidate).getUTCDay() === weekday) return candidate;
  }
  throw new Error('unreachable: every weekday comes within a week');
}

export const isoDate = (at: number) => new Date(at).toISOString().slice(0, 10);

/** When the view's timeline first shows `event` (epoch ms), or undefined. */
export function eventAt(view: RegistrationView, event: string): number | undefined {
  const entry = view.timeline.find((e) => e.event === event);
  return entry ? Date.parse(entry.at) : undefined;
}

export const eventsOf = (view: RegistrationView) => view.timeline.map((e) => e.event);

/** Queries until the view satisfies `accept`: effects of a fired timer land just after the sleep. */
export function viewWhen(handle: RegistrationHandle, accept: (view: RegistrationView) => boolean) {
  return eventually(() => handle.query(registrationStatusQuery), accept);
}

/** The account's claims on one product line, from its account-claims workflow. */
export async function claimsOn(
  stack: TimeSkippingStack,
  accountKey: string,
  productLine: string,
): Promise<ProductLineClaims | undefined> {
  const handle = stack.client.workflow.getHandle(accountClaimsWorkflowId(accountKey));
  const state = await handle.query(accountClaimsStatusQuery);
  return state.lines.find((line) => line.productLine === productLine);
}

/**
 * The account's line held by a registration that has already ended without a word to anyone: as
 * one withdrawn between its claim and the opening of the case a newcomer's collision starts.
 * Returns the registration id of the claim (no workflow runs under it).
 */
export async function claimHeldByEndedRegistration(
  stack: TimeSkippingStack,
  accountKey: string,
  productLine: string,
): Promise<string> {
  const claims = await stack.client.workflow.start<AccountClaimsWorkflow>(ACCOUNT_CLAIMS_WORKFLOW_TYPE, {
    workflowId: accountClaimsWorkflowId(accountKey),
    taskQueue: stack.taskQueue,
    args: [{ accountKey }],
  });
  const registrationId = `ended-${accountKey}`;
  const answer = await claims.executeUpdate(claimUpdate, {
    args: [
      {
        registrationId,
        partnerId: 'northwind',
        productLine,
        submittedAt: new Date(await stack.env.currentTimeMs()).toISOString(),
        namedDirect: false,
      },
    ],
  });
  if (!answer.granted) throw new Error(`the line ${productLine} of ${accountKey} is already held`);
  return registrationId;
}

export interface SentEmail {
  to: string[];
  subject: string;
  text: string;
}

/** Emails in the outbox about one registration (every subject names it). */
export async function emailsAbout(outbox: Outbox, registrationId: string): Promise<SentEmail[]> {
  const parsed = await outbox.read();
  return parsed
    .filter((mail) => (mail.subject ?? '').includes(registrationId))
    .map((mail) => ({ to: addressesOf(mail.to), subject: mail.subject ?? '', text: mail.text ?? '' }));
}

/** Waits until an email about the registration whose subject contains `subjectPart` is in the outbox. */
export async function emailAbout(outbox: Outbox, registrationId: string, subjectPart: string): Promise<SentEmail> {
  const emails = await eventually(
    () => emailsAbout(outbox, registrationId),
    (found) => found.some((mail) => mail.subject.includes(subjectPart)),
  );
  return emails.find((mail) => mail.subject.includes(subjectPart))!;
}

/** Subjects of the emails about the registration that went to `address`. */
export async function subjectsTo(outbox: Outbox, registrationId: string, address: string): Promise<string[]> {
  return (await emailsAbout(outbox, registrationId)).filter((m) => m.to.includes(address)).map((m) => m.subject);
}

function addressesOf(to: AddressObject | AddressObject[] | undefined): string[] {
  const objects = to === undefined ? [] : Array.isArray(to) ? to : [to];
  return objects.flatMap((object) => object.value.map((address) => address.address ?? '')).sort();
}

/** The business failure an update was refused with (validator or handler). */
export async function refusalOf(update: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await update.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof WorkflowUpdateFailedError)) throw new Error(`expected a refused update, got ${String(error)}`);
  if (!(error.cause instanceof ApplicationFailure))
    throw new Error(`expected an ApplicationFailure, got ${error.cause}`);
  return error.cause;
}

/** Development directory addresses the emails go to. */
export const ADDRESSES = {
  northwind: 'nora@northwind.example',
  contoso: 'carl@contoso.example',
  channelManager: 'chris.channel@vendor.example',
  regionalDirector: 'rita.regional@vendor.example',
  vp: 'victor.vance@vendor.example',
} as const;

/**
 * Starts the change workflow of a scheduled version, as POST /api/policies/{version}/publish does;
 * `noticePeriod` is what the workflow is told (the document's, unless a test says otherwise).
 */
export function startPolicyChange(
  stack: TimeSkippingStack,
  policy: PolicyVersion,
  noticePeriod: string = policy.document.noticePeriod,
): Promise<WorkflowHandle<PolicyChangeWorkflow>> {
  return stack.client.workflow.start<PolicyChangeWorkflow>(POLICY_CHANGE_WORKFLOW_TYPE, {
    workflowId: policyChangeWorkflowId(policy.version),
    taskQueue: stack.taskQueue,
    args: [
      {
        version: policy.version,
        title: policy.title,
        publishedAt: policy.publishedAt!,
        effectiveAt: policy.effectiveAt!,
        noticePeriod,
      },
    ],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
}
