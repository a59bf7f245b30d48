import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { z } from 'zod';
import { deadlineAfter } from '../domain/calendar';
import { durationToMillis, parseDuration } from '../domain/duration';
import type { ClaimKind, Decision } from '../domain/rules';
import { decisionOnSubmission } from '../domain/registrationDecision';
import {
  accountClaimsStatusQuery,
  accountClaimsWorkflowId,
  type AccountClaimsState,
} from '../../workflows/accountClaims/contract';
import type { RegistrationInput } from '../../workflows/registration/contract';

// POST /api/registrations/pre-check: what the first evaluation of a registration would decide now,
// asked of the same pure function the registration process calls, with nothing claimed or stored.

/** The facts a registration is submitted with, as POST /api/registrations fixes them. */
export type SubmissionFacts = Pick<RegistrationInput, 'partner' | 'account' | 'opportunity' | 'policy' | 'submittedAt'>;

export const preCheckAnswer = z
  .object({
    outcome: z.enum(['approved', 'pending_review', 'in_conflict', 'rejected']),
    ruleIds: z.array(z.string()).describe('The matched route first, then any built-in rule that took part'),
    reason: z.string().describe('The reason the registration would be decided with; never names another party'),
    policyVersion: z.number().int().describe('The policy version in effect now, which a submission would be under'),
    nextStep: z.string().describe('What submitting it would lead to'),
    review: z
      .object({
        assigneeRole: z.string(),
        sla: z.string().describe('The review SLA, ISO 8601'),
        dueAt: z.string().describe('When the review would be due if submitted now'),
      })
      .optional()
      .describe('Only for pending_review'),
    expiresAt: z.string().optional().describe('Only for approved: when its protection would end if submitted now'),
  })
  .describe('What the rules would decide now; nothing is claimed, started or stored');
export type PreCheckAnswer = z.infer<typeof preCheckAnswer>;

/**
 * The first decision a submission of `facts` would get now. The claim lookup reads the account's
 * claims workflow (a query: no update, no start), whose holder is what a real claim would collide with.
 */
export async function preCheckOf(temporal: Client, facts: SubmissionFacts): Promise<PreCheckAnswer> {
  // New registrations compare amounts in the base currency (the workflow's currency-rates patch).
  let decision = decisionOnSubmission(facts, 'in_base_currency');
  if (decision.outcome !== 'rejected') {
    const holder = await claimHolderOf(temporal, facts);
    if (holder) decision = decisionOnSubmission(facts, 'in_base_currency', { kind: holder });
  }
  return answerFor(decision, facts);
}

/** Who a claim on the account and product line would collide with now, as the claims workflow decides it. */
async function claimHolderOf(temporal: Client, facts: SubmissionFacts): Promise<ClaimKind | undefined> {
  let state: AccountClaimsState | undefined;
  try {
    state = await temporal.workflow
      .getHandle(accountClaimsWorkflowId(facts.account.domain))
      .query(accountClaimsStatusQuery);
  } catch (error) {
    // No claims workflow yet: nobody ever claimed the account.
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
  const line = state?.lines.find((candidate) => candidate.productLine === facts.opportunity.productLine);
  if (line?.holder) return line.holder.kind;
  // On a named direct account the direct team holds every free line (accountClaims' claim()).
  return facts.account.namedDirect ? 'direct' : undefined;
}

function answerFor(decision: Decision, facts: SubmissionFacts): PreCheckAnswer {
  const { outcome, ruleIds, reason, policyVersion } = decision;
  const basis = { outcome, ruleIds, reason, policyVersion };
  const now = Date.parse(facts.submittedAt);
  const { document } = facts.policy;
  if (outcome === 'approved') {
    const { validity } = document.registration;
    const expiresAt = new Date(now + durationToMillis(parseDuration(validity)!)).toISOString();
    const nextStep = `Submitting it approves it at once and protects the account and product line for ${validity}.`;
    return { ...basis, nextStep, expiresAt };
  }
  if (outcome === 'pending_review') {
    const { sla, clock } = document.registration.review;
    const assigneeRole = document.conflicts.escalation[0].role;
    const dueAt = new Date(deadlineAfter(now, sla, document.calendar, clock)).toISOString();
    const nextStep = `Submitting it claims the account and product line and sends it to a ${assigneeRole.replace(/_/g, ' ')} for review within ${sla}.`;
    return { ...basis, nextStep, review: { assigneeRole, sla, dueAt } };
  }
  if (decision.outcome === 'in_conflict') {
    const holder =
      decision.conflictWith === 'direct'
        ? 'The direct sales team holds this account'
        : 'Another registration already holds this account and product line';
    return { ...basis, nextStep: `${holder}: submitting it opens or joins a conflict case that a manager resolves.` };
  }
  return { ...basis, nextStep: 'Submitting it would be rejected for the reason given; it would claim nothing.' };
}
