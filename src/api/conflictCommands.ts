import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import type { Principal } from '../domain/principal';
import type { Store } from '../store';
import { conflictStatusQuery, type conflictCase } from '../../workflows/conflict';
import {
  conflictWorkflowId,
  type ConflictParty,
  type ConflictResolution,
  type ConflictView,
} from '../../workflows/conflictTypes';
import { Problem, badRequest, conflict, notFound } from './problem';

/** A party as a partner sees another claimant: that someone claimed, and when; nothing that names them. */
export type HiddenParty = Pick<ConflictParty, 'kind' | 'submittedAt'>;
/** What a caller may see of a conflict case: the whole view, or a partner's redaction of it. */
export type VisibleConflictView = Omit<ConflictView, 'parties'> & { parties: (ConflictParty | HiddenParty)[] };

/** `resolution.award` as a partner reads it, instead of another partner's registration id. */
export const YOUR_REGISTRATION = 'your_registration';
export const ANOTHER_PARTY = 'another_party';
const HIDDEN = '[another party]';

export const isPartyTo = (partnerId: string, view: ConflictView): boolean =>
  view.parties.some((p) => p.kind === 'partner' && p.partnerId === partnerId);

/** The case if the caller may see it (a partner only as a party), redacted for them; else 404. */
export function visibleConflict(principal: Principal, view: ConflictView | undefined, id: string): VisibleConflictView {
  if (!view || (principal.role === 'partner' && !isPartyTo(principal.partnerId, view))) {
    throw notFound(`conflict ${id}`);
  }
  return conflictViewFor(principal, view);
}

/**
 * What a caller may see of a case. Managers, ops and admins see it whole. A partner sees its own
 * claims, and of every other party only that it exists and when it claimed: no partner id,
 * registration id, tier or holder flag, in any field. Fields are copied one by one, so a field the
 * workflow adds later stays hidden until it is added here.
 */
export function conflictViewFor(principal: Principal, view: ConflictView): VisibleConflictView {
  if (principal.role !== 'partner') return view;
  const partnerId = principal.partnerId;
  const own = view.parties.filter((p) => p.kind === 'partner' && p.partnerId === partnerId);
  const others = view.parties.filter((p) => !own.includes(p));
  const ownRegistrations = new Set(own.map((p) => p.registrationId));
  const secrets = secretsOf(own, others);
  return {
    id: view.id,
    workflowId: view.workflowId,
    domain: view.domain,
    productLine: view.productLine,
    region: view.region,
    status: view.status,
    tier: view.tier,
    assigneeRole: view.assigneeRole,
    ...(view.dueAt === undefined ? {} : { dueAt: view.dueAt }),
    policyVersion: view.policyVersion,
    openedAt: view.openedAt,
    parties: view.parties.map((p) => (own.includes(p) ? ownParty(p) : { kind: p.kind, submittedAt: p.submittedAt })),
    ...(view.resolution ? { resolution: resolutionFor(view.resolution, ownRegistrations, others, secrets) } : {}),
    breaches: view.breaches.map(({ tier, role, at }) => ({ tier, role, at })),
    appeals: view.appeals
      .filter((a) => a.partnerId === partnerId)
      .map(({ partnerId: p, at, reason }) => ({
        partnerId: p,
        at,
        reason,
      })),
    // The workflow writes history without identities; an entry that names another party anyway is dropped.
    history: view.history
      .filter((entry) => !secrets.mentionedIn(`${entry.event} ${entry.detail}`))
      .map(({ at, event, detail }) => ({ at, event, detail })),
  };
}

function ownParty(p: ConflictParty): ConflictParty {
  return {
    kind: p.kind,
    ...(p.registrationId === undefined ? {} : { registrationId: p.registrationId }),
    ...(p.partnerId === undefined ? {} : { partnerId: p.partnerId }),
    ...(p.partnerTier === undefined ? {} : { partnerTier: p.partnerTier }),
    submittedAt: p.submittedAt,
    holder: p.holder,
  };
}

function resolutionFor(
  resolution: ConflictResolution,
  ownRegistrations: Set<string | undefined>,
  others: ConflictParty[],
  secrets: Secrets,
): ConflictResolution {
  const award = ownRegistrations.has(resolution.award)
    ? YOUR_REGISTRATION
    : others.some((p) => p.registrationId === resolution.award)
      ? ANOTHER_PARTY
      : resolution.award;
  return {
    award,
    // The manager's reason explains the decision; names of other parties in it are blanked, not the reason.
    reason: secrets.blankedIn(resolution.reason),
    decidedBy: resolution.decidedBy,
    decidedAt: resolution.decidedAt,
    by: resolution.by,
    ...(resolution.ruleId === undefined ? {} : { ruleId: resolution.ruleId }),
  };
}

interface Secrets {
  mentionedIn(text: string): boolean;
  blankedIn(text: string): string;
}

/** Other parties' ids, and their tiers where the caller's own tier differs (its own is no secret). */
function secretsOf(own: ConflictParty[], others: ConflictParty[]): Secrets {
  const ownValues = new Set(own.flatMap((p) => [p.partnerId, p.registrationId, p.partnerTier]));
  const ids = [...new Set(others.flatMap((p) => [p.partnerId, p.partnerName, p.registrationId]))].filter(
    (value): value is string => Boolean(value) && !ownValues.has(value),
  );
  const tiers = [...new Set(others.map((p) => p.partnerTier))].filter(
    (tier): tier is NonNullable<typeof tier> => Boolean(tier) && !ownValues.has(tier),
  );
  const patterns = [
    ...ids.map((id) => new RegExp(escapeRegExp(id), 'gi')),
    ...tiers.map((tier) => new RegExp(`\\b${escapeRegExp(tier)}\\b`, 'gi')),
  ];
  return {
    mentionedIn: (text) => patterns.some((pattern) => text.search(pattern) >= 0),
    blankedIn: (text) => patterns.reduce((blanked, pattern) => blanked.replace(pattern, HIDDEN), text),
  };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function conflictCommands(temporal: Client, store: Store) {
  const handleOf = (id: string): WorkflowHandle<typeof conflictCase> =>
    temporal.workflow.getHandle(conflictWorkflowId(id));

  return {
    /** The freshest view: the case's own status query, or the read model when the workflow cannot answer. */
    async current(id: string): Promise<ConflictView | undefined> {
      try {
        return await handleOf(id).query(conflictStatusQuery);
      } catch {
        return store.conflicts.get(id);
      }
    },

    /** Runs a human step on the case; business refusals become 409, 403 or 400 problems. */
    async act<Args extends [unknown, ...unknown[]]>(
      principal: Principal,
      id: string,
      update: UpdateDefinition<ConflictView, Args>,
      args: Args,
    ): Promise<ConflictView> {
      try {
        return await handleOf(id).executeUpdate(update, { args });
      } catch (error) {
        throw await refusalOf(principal, error, id);
      }
    },
  };

  async function refusalOf(principal: Principal, error: unknown, id: string): Promise<unknown> {
    const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
    if (cause instanceof ApplicationFailure) {
      if (cause.type === 'NotAllowed') return new Problem(403, 'forbidden', cause.message);
      if (cause.type === 'InvalidArgument') {
        const path = (cause.details?.[0] as { path?: unknown } | undefined)?.path;
        return badRequest(cause.message, [{ path: typeof path === 'string' ? path : '', message: cause.message }]);
      }
      if (cause.type === 'InvalidState' || cause.type === 'RuleViolation') {
        return conflict(cause.message, refusalDetails(principal, cause.details?.[0]));
      }
      return error;
    }
    if (error instanceof WorkflowNotFoundError || isCompletedError(error)) {
      const view = await store.conflicts.get(id);
      // A decided case ends when its appeal window closes: a step on it now is too late.
      return conflict(
        `conflict ${id} is ${view?.status ?? 'closed'} and its appeal window has closed; nothing can change it any more`,
        {
          conflictStatus: view?.status,
          ...(view?.resolution ? { ruleId: 'APPEAL-WINDOW' } : {}),
        },
      );
    }
    return error;
  }
}

/** The refusal's details (`ruleId`…); a partner gets only the rule and the case's status. */
function refusalDetails(principal: Principal, details: unknown): Record<string, unknown> {
  if (typeof details !== 'object' || details === null) return {};
  // `status` would overwrite the problem's own HTTP status.
  const { status: _httpStatus, ...rest } = details as Record<string, unknown>;
  if (principal.role !== 'partner') return rest;
  return Object.fromEntries(Object.entries(rest).filter(([key]) => key === 'ruleId' || key === 'conflictStatus'));
}

function isCompletedError(error: unknown): boolean {
  return error instanceof Error && /already completed|workflow execution already finished/i.test(error.message);
}
