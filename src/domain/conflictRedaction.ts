import type { ConflictParty, ConflictResolution, ConflictView } from './conflictCase';

// The one redaction of a conflict case for a party: what the API shows a partner and what an
// email to a party carries.

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

/**
 * What one party may see of a case (a partner, or the direct team told of it): its own claims, and
 * of every other party only that it exists and when it claimed: no partner id, registration id,
 * tier or holder flag, in any field. Fields are copied one by one, so a field the workflow adds
 * later stays hidden until it is added here.
 */
export function conflictViewForParty(
  view: ConflictView,
  isOwn: (party: ConflictParty) => boolean,
): VisibleConflictView {
  const own = view.parties.filter(isOwn);
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
      .filter((a) => own.some((p) => p.partnerId === a.partnerId))
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
