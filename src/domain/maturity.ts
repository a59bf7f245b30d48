// The maturity-matrix scorecard of the seed (five dimensions, stage 1 "unwritten & reactive",
// 2 "documented but inconsistent", 3 "embedded & data-driven"), scored from the program's own data.
// Pure: the store computes the facts (store/metrics.ts, maturityFacts), this file only judges them.

export const MATURITY_DIMENSIONS = [
  'Clarity',
  'Systems & Process',
  'Conflict Management',
  'Partner & Field Trust',
  'Measurement & Improvement',
] as const;
export type MaturityDimension = (typeof MATURITY_DIMENSIONS)[number];
export type MaturityStage = 1 | 2 | 3;

export interface MaturityScore {
  dimension: MaturityDimension;
  stage: MaturityStage;
  /** The numbers the stage rests on, in words. */
  evidence: string;
}

/** What the scorecard reads: counts for one period (registrations and conflicts of the period). */
export interface MaturityFacts {
  /** Registrations submitted in the period. */
  registrations: number;
  /** Registrations of the period decided approved or rejected. */
  decisions: number;
  /** Of those, decided by the rules engine at submission (decidedBy = system:rules). */
  decisionsByRules: number;
  /** Registrations of the period that went to a manual review, plus conflict cases opened in it. */
  manualReviews: number;
  /** Review SLAs missed by the period's registrations plus conflict deadlines missed by its cases. */
  slaBreaches: number;
  /** Registrations of the period that were ever in conflict. */
  registrationsInConflict: number;
  /** Conflict cases opened in the period, and how those stand now. */
  conflictsOpened: number;
  conflictsResolved: number;
  conflictsDefaulted: number;
  /** Median hours from opening to decision of the period's decided cases; null when none. */
  medianHoursToResolve: number | null;
  /** Appeals lodged against the period's cases. */
  appeals: number;
  /** Playbook of the scored version, run through the rules engine (runPlaybook). */
  playbookScenarios: number;
  playbookPassing: number;
  /** The newest version published by the period's end; null when none was ever published. */
  publishedVersion: number | null;
  /** Partners in the directory, and how many acknowledged `publishedVersion`. */
  partners: number;
  acknowledged: number;
  /** Progress updates posted on the period's registrations, and how many of those are approved. */
  progressUpdates: number;
  approvedRegistrations: number;
  /** Versions published in the 365 days up to the period's end. */
  versionsPublishedLastYear: number;
  /** Rollout reviews held in the 365 days up to the period's end. */
  reviewsHeld: number;
  /** Partner ratings (1–5) of decisions given in the period, and their average; null without one. */
  ratings: number;
  ratingAverage: number | null;
}

/** Ratings a period needs before partner satisfaction counts either way. */
export const SATISFACTION_MIN_RATINGS = 5;
/** Average rating (of 5) stage 3 needs, and the one that alone reaches stage 2. */
export const SATISFACTION_TRUSTED = 4;
export const SATISFACTION_TOLERATED = 3;

/** Acknowledgement share that counts as "understood by partners". */
export const ACKNOWLEDGEMENT_TARGET = 0.8;

const pct = (share: number) => `${Math.round(share * 1000) / 10} %`;
/** `part` of `whole` as a share; null when `whole` is 0. */
const shareOf = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);
const shareWords = (part: number, whole: number, of: string) => {
  const share = shareOf(part, whole);
  return `${part} of ${whole} ${of}${share === null ? '' : ` (${pct(share)})`}`;
};
/** `part` is at most `percent` % of `whole`; nothing of nothing is 0 %. */
const atMost = (part: number, whole: number, percent: number) => part * 100 <= percent * whole;

/** Partners that acknowledged the newest published version, as a share; 0 without a version or partners. */
export function acknowledgementShare(facts: MaturityFacts): number {
  if (facts.publishedVersion === null) return 0;
  return shareOf(facts.acknowledged, facts.partners) ?? 0;
}

const acknowledgementWords = (facts: MaturityFacts) =>
  facts.publishedVersion === null
    ? 'no version published'
    : `${shareWords(facts.acknowledged, facts.partners, 'partners')} acknowledged v${facts.publishedVersion}`;

/**
 * Clarity: 3 when at least 80 % of partners acknowledged the newest published version and its
 * playbook has at least 3 scenarios, all passing the rules engine; 2 when a version is published and
 * has at least one playbook scenario; 1 otherwise.
 */
export function clarity(facts: MaturityFacts): MaturityScore {
  const { playbookScenarios, playbookPassing } = facts;
  const ackShare = acknowledgementShare(facts);
  const allPassing = playbookScenarios >= 3 && playbookPassing === playbookScenarios;
  const stage: MaturityStage =
    facts.publishedVersion !== null && ackShare >= ACKNOWLEDGEMENT_TARGET && allPassing
      ? 3
      : facts.publishedVersion !== null && playbookScenarios >= 1
        ? 2
        : 1;
  const evidence = `${acknowledgementWords(facts)}; ${playbookPassing} of ${playbookScenarios} playbook scenarios pass the rules engine.`;
  return { dimension: 'Clarity', stage, evidence };
}

/**
 * Systems & Process: 3 when at least 70 % of decisions were made by the rules engine and SLA
 * breaches are at most 10 % of manual reviews (registration reviews plus conflict cases; no breach
 * of no review is 0 %); 2 when at least one decision was made by the rules engine; 1 otherwise.
 */
export function systemsAndProcess(facts: MaturityFacts): MaturityScore {
  const { decisions, decisionsByRules, slaBreaches, manualReviews } = facts;
  const byRules = shareOf(decisionsByRules, decisions);
  const stage: MaturityStage =
    byRules !== null && byRules >= 0.7 && atMost(slaBreaches, manualReviews, 10) ? 3 : decisionsByRules >= 1 ? 2 : 1;
  const evidence = `${shareWords(decisionsByRules, decisions, 'decisions')} made by the rules engine; ${slaBreaches} SLA breaches over ${manualReviews} manual reviews.`;
  return { dimension: 'Systems & Process', stage, evidence };
}

/**
 * Conflict Management: 3 when at least one case was decided, the conflict rate is under 10 %, the
 * median time to resolve is under 48 h and defaults are at most 20 % of decided cases; 2 when at
 * least one case was decided (resolved by a manager or defaulted by the ladder); 1 when no case was
 * decided.
 */
export function conflictManagement(facts: MaturityFacts): MaturityScore {
  const { registrations, registrationsInConflict, conflictsResolved, conflictsDefaulted, medianHoursToResolve } = facts;
  const decided = conflictsResolved + conflictsDefaulted;
  const rate = shareOf(registrationsInConflict, registrations) ?? 0;
  const stage: MaturityStage =
    decided === 0
      ? 1
      : rate < 0.1 &&
          medianHoursToResolve !== null &&
          medianHoursToResolve < 48 &&
          atMost(conflictsDefaulted, decided, 20)
        ? 3
        : 2;
  const median =
    medianHoursToResolve === null ? 'no median time to resolve' : `median ${round1(medianHoursToResolve)} h to resolve`;
  const evidence = `conflict rate ${shareWords(registrationsInConflict, registrations, 'registrations')}; ${facts.conflictsOpened} cases opened, ${conflictsResolved} resolved, ${conflictsDefaulted} defaulted; ${median}.`;
  return { dimension: 'Conflict Management', stage, evidence };
}

/**
 * Partner & Field Trust: 3 when at least 80 % of partners acknowledged the newest published version,
 * appeals are at most 5 % of decided cases (no appeal is 0 %) and, once partners gave at least 5
 * ratings in the period, their average is at least 4 of 5; 2 when at least 50 % acknowledged, or
 * partners post at least one progress update per two approved registrations, or at least 5 ratings
 * average 3 or more; 1 otherwise.
 */
export function partnerAndFieldTrust(facts: MaturityFacts): MaturityScore {
  const { appeals, progressUpdates, approvedRegistrations } = facts;
  const decided = facts.conflictsResolved + facts.conflictsDefaulted;
  const ackShare = acknowledgementShare(facts);
  const updatesPerApproved = shareOf(progressUpdates, approvedRegistrations);
  const rated = facts.ratings >= SATISFACTION_MIN_RATINGS && facts.ratingAverage !== null;
  const satisfied = !rated || facts.ratingAverage! >= SATISFACTION_TRUSTED;
  const tolerated = rated && facts.ratingAverage! >= SATISFACTION_TOLERATED;
  const stage: MaturityStage =
    ackShare >= ACKNOWLEDGEMENT_TARGET && atMost(appeals, decided, 5) && satisfied
      ? 3
      : ackShare >= 0.5 || (updatesPerApproved !== null && updatesPerApproved >= 0.5) || tolerated
        ? 2
        : 1;
  const updates =
    updatesPerApproved === null
      ? `${progressUpdates} progress updates, no approved registrations`
      : `${progressUpdates} progress updates on ${approvedRegistrations} approved registrations (${round1(updatesPerApproved)} each)`;
  const satisfaction =
    facts.ratings === 0 || facts.ratingAverage === null
      ? 'no partner ratings'
      : `partner satisfaction ${round1(facts.ratingAverage)} of 5 over ${facts.ratings} ratings${rated ? '' : ` (counts from ${SATISFACTION_MIN_RATINGS})`}`;
  const evidence = `${acknowledgementWords(facts)}; ${appeals} appeals on ${decided} decided cases; ${updates}; ${satisfaction}.`;
  return { dimension: 'Partner & Field Trust', stage, evidence };
}

/**
 * Measurement & Improvement: 3 when at least one rollout review was held and at least one version
 * was published in the last 365 days; 2 when there is something to measure (at least one
 * registration in the period); 1 otherwise.
 */
export function measurementAndImprovement(facts: MaturityFacts): MaturityScore {
  const { reviewsHeld, versionsPublishedLastYear, registrations } = facts;
  const stage: MaturityStage = reviewsHeld >= 1 && versionsPublishedLastYear >= 1 ? 3 : registrations > 0 ? 2 : 1;
  const evidence = `${reviewsHeld} reviews held and ${versionsPublishedLastYear} versions published in the last year; ${registrations} registrations in the period.`;
  return { dimension: 'Measurement & Improvement', stage, evidence };
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** The five dimensions, in the seed's order. */
export function maturityScorecard(facts: MaturityFacts): MaturityScore[] {
  return [clarity, systemsAndProcess, conflictManagement, partnerAndFieldTrust, measurementAndImprovement].map((rule) =>
    rule(facts),
  );
}
