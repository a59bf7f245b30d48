import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Store } from '../../store';
import { allOf } from '../../store/directory';
import type { EmailActionLink } from '../../store/emailActions';
import type { Principal } from '../../domain/principal';
import { linkOfToken, policyStateKey, reviewStateKey } from '../../emailActions/links';
import { decideUpdate } from '../../../workflows/registration/contract';
import { actorOf, registrationCommands } from '../registrationCommands';
import type { RouteTable } from '../routes';
import { Problem, badRequest, conflict, notFound } from '../problem';

// The page an email's action link opens asks this API what the link would do (GET: never changes
// anything, as mail scanners open links) and does it when the person confirms (POST). The token
// is the credential: it names one stored link and carries its HMAC; it works once, for the
// recipient it was sent to, while the object is as it was, until it expires.

const ACTION_WORDS: Record<EmailActionLink['action'], string> = {
  approve: 'Approve',
  reject: 'Reject',
  request_info: 'Request info',
  acknowledge: 'Acknowledge',
};
const REASON_REQUIRED = new Set<EmailActionLink['action']>(['reject', 'request_info']);

const tokenParam = z.strictObject({
  token: z.string().regex(/^eal_[0-9a-f]{24}\.[A-Za-z0-9_-]{43}$/, 'the token of an email link'),
});

const linkView = z.object({
  action: z.enum(['approve', 'reject', 'request_info', 'acknowledge']),
  label: z.string().describe('The step in words, as the button names it'),
  subject: z.object({ kind: z.enum(['registration', 'policy']), id: z.string() }),
  title: z.string().describe('What the step is about, in one line'),
  facts: z.array(z.object({ label: z.string(), value: z.string() })),
  state: z
    .enum(['ready', 'used', 'expired', 'stale'])
    .describe('ready: the step can be confirmed; used, expired or stale: it cannot, detail says why'),
  detail: z.string(),
  reasonRequired: z.boolean(),
  recipient: z.string().describe('Whom the link was sent to (the person, or the partner)'),
  expiresAt: z.string(),
  usedAt: z.string().optional(),
  outcome: z.string().optional(),
});
type LinkView = z.infer<typeof linkView>;

export function emailActionRoutes(
  table: RouteTable,
  deps: { store: Store; temporal: Client; taskQueue: string },
): void {
  const { store } = deps;
  const commands = registrationCommands(deps.temporal, deps.taskQueue, store);

  async function linkOr404(token: string): Promise<EmailActionLink> {
    const link = await linkOfToken(store, token);
    if (!link) throw notFound('this link (it may be mistyped or cut off)');
    return link;
  }

  /** What the link does, to what, and whether it still can. */
  async function viewOf(link: EmailActionLink): Promise<LinkView> {
    const base = {
      action: link.action,
      label: ACTION_WORDS[link.action],
      subject: link.subject,
      reasonRequired: REASON_REQUIRED.has(link.action),
      recipient: link.recipient.replace(/^partner:/, ''),
      expiresAt: link.expiresAt,
      ...(link.usedAt ? { usedAt: link.usedAt } : {}),
      ...(link.outcome ? { outcome: link.outcome } : {}),
    };
    const standing = (title: string, facts: LinkView['facts'], stale: string | undefined): LinkView => {
      if (link.usedAt)
        return {
          ...base,
          title,
          facts,
          state: 'used',
          detail: `This link was used on ${day(link.usedAt)}${link.outcome ? `: ${link.outcome}` : ''}.`,
        };
      if (Date.parse(link.expiresAt) <= Date.now())
        return { ...base, title, facts, state: 'expired', detail: `This link expired on ${day(link.expiresAt)}.` };
      if (stale) return { ...base, title, facts, state: 'stale', detail: stale };
      return { ...base, title, facts, state: 'ready', detail: `${ACTION_WORDS[link.action]}: confirm below.` };
    };
    if (link.subject.kind === 'registration') {
      const view = await store.registrations.get(link.subject.id);
      if (!view) return standing(`Registration ${link.subject.id}`, [], 'This registration no longer exists.');
      const facts = [
        { label: 'Partner', value: view.partnerId },
        { label: 'Account', value: `${view.account.name} (${view.account.domain}), ${view.account.region}` },
        { label: 'Deal', value: `${view.opportunity.title}, ${view.opportunity.productLine}` },
        { label: 'Amount', value: `${view.opportunity.amount.value} ${view.opportunity.amount.currency}` },
        ...(view.review ? [{ label: 'Review due', value: day(view.review.dueAt) }] : []),
        ...(view.decision ? [{ label: 'Latest decision', value: view.decision.reason }] : []),
      ];
      const stale =
        reviewStateKey(view) === link.stateKey
          ? undefined
          : `The registration has moved on since this email: it is ${view.status.replace('_', ' ')}${
              view.review && view.status === 'pending_review'
                ? ` and waits on a ${view.review.assigneeRole.replace('_', ' ')}`
                : ''
            }.`;
      return standing(`${ACTION_WORDS[link.action]} registration ${view.id}`, facts, stale);
    }
    const version = Number(link.subject.id);
    const policy = await store.policies.get(version);
    const partnerId = link.recipient.replace(/^partner:/, '');
    const title = `Acknowledge policy version ${version}${policy ? `, "${policy.title}"` : ''}`;
    const facts = policy
      ? [
          { label: 'Takes effect', value: policy.effectiveAt ? day(policy.effectiveAt) : 'not scheduled' },
          { label: 'For partner', value: partnerId },
        ]
      : [];
    const acknowledgedAt = await store.policies.acknowledgedAt(version, partnerId);
    const stale = !policy
      ? 'This policy version no longer exists.'
      : policy.status === 'cancelled'
        ? `Policy version ${version} was cancelled: there is nothing to acknowledge.`
        : policyStateKey(version) !== link.stateKey
          ? 'This link is for another version.'
          : acknowledgedAt
            ? `Your organisation acknowledged this version on ${day(acknowledgedAt)}.`
            : undefined;
    return standing(title, facts, stale);
  }

  /** Does the step as the recipient; the answer says what it did. */
  async function perform(link: EmailActionLink, reason: string | undefined): Promise<string> {
    if (link.subject.kind === 'policy') {
      const version = Number(link.subject.id);
      const partnerId = link.recipient.replace(/^partner:/, '');
      const actor = `email-link:${partnerId}`;
      if (await store.policies.acknowledge(version, partnerId, actor)) {
        await store.audit.append(`ack:${version}:${partnerId}`, {
          subject: `policy:${version}`,
          at: new Date().toISOString(),
          actor,
          action: 'policy.acknowledged',
          detail: { partnerId, via: 'email link' },
        });
      }
      return `policy version ${version} acknowledged for ${partnerId}`;
    }
    const person = (await allOf((limit, cursor) => store.directory.listPeople(limit, cursor))).find(
      (p) => p.email.toLowerCase() === link.recipient,
    );
    if (!person) throw conflict('the person this link was sent to is no longer in the directory');
    const principal: Principal = {
      role: 'manager',
      subject: `person:${person.id}`,
      escalationRoles: person.escalationRoles,
      regions: person.regions.length ? person.regions : ['*'],
    };
    const outcome = link.action as 'approve' | 'reject' | 'request_info';
    const view = await commands.act(link.subject.id, decideUpdate, [
      { outcome, reason: reason ?? 'approved from the review email', by: actorOf(principal) },
    ]);
    return `registration ${view.id} is ${view.status.replace('_', ' ')} (by ${person.name})`;
  }

  table.add({
    method: 'get',
    path: '/api/email-actions/{token}',
    summary: "What an email's action link would do, and whether it still can (changes nothing)",
    tag: 'Email actions',
    roles: 'public',
    params: tokenParam,
    responses: {
      200: { description: 'The step the link stands for and its state', schema: linkView },
      404: { description: 'No such link, or it was altered' },
    },
    handler: async ({ params }) => ({ status: 200, body: await viewOf(await linkOr404(params.token)) }),
  });

  table.add({
    method: 'post',
    path: '/api/email-actions/{token}',
    summary: "Do the step of an email's action link, once, as the person it was sent to",
    tag: 'Email actions',
    roles: 'public',
    params: tokenParam,
    body: z.strictObject({ reason: z.string().trim().min(1).max(2000).optional() }),
    responses: {
      200: { description: 'Done: the link is used', schema: linkView },
      400: { description: 'A reason is required for this step' },
      404: { description: 'No such link, or it was altered' },
      409: { description: 'Used already, or the object moved on (stale)' },
      410: { description: 'The link expired' },
    },
    handler: async ({ params, body }) => {
      const link = await linkOr404(params.token);
      const before = await viewOf(link);
      if (before.state === 'expired') throw new Problem(410, 'link-expired', before.detail);
      if (before.state !== 'ready') throw conflict(before.detail, { state: before.state });
      if (REASON_REQUIRED.has(link.action) && !body.reason) {
        throw badRequest(`reason: ${ACTION_WORDS[link.action].toLowerCase()} needs a reason`, [
          { path: 'reason', message: 'required for this step' },
        ]);
      }
      if (!(await store.emailActions.claim(link.id)))
        throw conflict('This link was used a moment ago.', { state: 'used' });
      try {
        await store.emailActions.recordOutcome(link.id, await perform(link, body.reason));
      } catch (error) {
        await store.emailActions.release(link.id);
        throw error;
      }
      return { status: 200, body: await viewOf((await store.emailActions.get(link.id))!) };
    },
  });
}

const day = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
