import {
  MATURITY_DIMENSIONS,
  clarity,
  conflictManagement,
  maturityScorecard,
  measurementAndImprovement,
  partnerAndFieldTrust,
  systemsAndProcess,
  type MaturityFacts,
} from '../../src/domain/maturity';

// The maturity scorecard's rules (README, "Maturity scorecard") on crafted facts, each threshold
// from both sides.

/** A program at stage 3 on every dimension; each test moves one number. */
const mature = (overrides: Partial<MaturityFacts> = {}): MaturityFacts => ({
  registrations: 100,
  decisions: 80,
  decisionsByRules: 60,
  manualReviews: 30,
  slaBreaches: 2,
  registrationsInConflict: 5,
  conflictsOpened: 4,
  conflictsResolved: 3,
  conflictsDefaulted: 0,
  medianHoursToResolve: 20,
  appeals: 0,
  playbookScenarios: 4,
  playbookPassing: 4,
  publishedVersion: 2,
  partners: 10,
  acknowledged: 9,
  progressUpdates: 40,
  approvedRegistrations: 50,
  versionsPublishedLastYear: 1,
  reviewsHeld: 1,
  ratings: 0,
  ratingAverage: null,
  ...overrides,
});

/** A program with nothing: no version, no registration, no partner. */
const empty: MaturityFacts = {
  registrations: 0,
  decisions: 0,
  decisionsByRules: 0,
  manualReviews: 0,
  slaBreaches: 0,
  registrationsInConflict: 0,
  conflictsOpened: 0,
  conflictsResolved: 0,
  conflictsDefaulted: 0,
  medianHoursToResolve: null,
  appeals: 0,
  playbookScenarios: 0,
  playbookPassing: 0,
  publishedVersion: null,
  partners: 0,
  acknowledged: 0,
  progressUpdates: 0,
  approvedRegistrations: 0,
  versionsPublishedLastYear: 0,
  reviewsHeld: 0,
  ratings: 0,
  ratingAverage: null,
};

describe('maturityScorecard', () => {
  it('scores the five dimensions of the seed, in its order', () => {
    const card = maturityScorecard(mature());

    expect(card.map((score) => score.dimension)).toEqual([...MATURITY_DIMENSIONS]);
    expect(card.map((score) => score.stage)).toEqual([3, 3, 3, 3, 3]);
  });

  it('scores a program without data at stage 1 everywhere', () => {
    expect(maturityScorecard(empty).map((score) => score.stage)).toEqual([1, 1, 1, 1, 1]);
  });

  it('cites the numbers in each evidence', () => {
    const [clear, systems, conflicts, trust, measurement] = maturityScorecard(mature());

    expect(clear.evidence).toBe(
      '9 of 10 partners (90 %) acknowledged v2; 4 of 4 playbook scenarios pass the rules engine.',
    );
    expect(systems.evidence).toBe(
      '60 of 80 decisions (75 %) made by the rules engine; 2 SLA breaches over 30 manual reviews.',
    );
    expect(conflicts.evidence).toBe(
      'conflict rate 5 of 100 registrations (5 %); 4 cases opened, 3 resolved, 0 defaulted; median 20 h to resolve.',
    );
    expect(trust.evidence).toBe(
      '9 of 10 partners (90 %) acknowledged v2; 0 appeals on 3 decided cases; 40 progress updates on 50 approved registrations (0.8 each); no partner ratings.',
    );
    expect(measurement.evidence).toBe(
      '1 reviews held and 1 versions published in the last year; 100 registrations in the period.',
    );
  });

  it('says so when there is nothing to cite', () => {
    const [clear, , conflicts, trust] = maturityScorecard(empty);

    expect(clear.evidence).toMatch(/^no version published; 0 of 0 playbook scenarios/);
    expect(conflicts.evidence).toMatch(/0 of 0 registrations; .*no median time to resolve/);
    expect(trust.evidence).toMatch(/0 progress updates, no approved registrations/);
  });
});

describe('Clarity', () => {
  it.each<[string, number, Partial<MaturityFacts>]>([
    ['80 % acknowledged, 3 scenarios all passing', 3, { acknowledged: 8, playbookScenarios: 3, playbookPassing: 3 }],
    ['79 % acknowledged', 2, { acknowledged: 79, partners: 100 }],
    ['only 2 scenarios', 2, { playbookScenarios: 2, playbookPassing: 2 }],
    ['one scenario failing', 2, { playbookScenarios: 4, playbookPassing: 3 }],
    ['a published version with one scenario', 2, { acknowledged: 0, playbookScenarios: 1, playbookPassing: 0 }],
    ['a published version without a playbook', 1, { playbookScenarios: 0, playbookPassing: 0 }],
    ['no published version', 1, { publishedVersion: null }],
    ['no partners', 2, { partners: 0, acknowledged: 0 }],
  ])('%s → stage %i', (_, stage, overrides) => {
    expect(clarity(mature(overrides)).stage).toBe(stage);
  });
});

describe('Systems & Process', () => {
  it.each<[string, number, Partial<MaturityFacts>]>([
    ['70 % by rules, breaches 10 % of reviews', 3, { decisions: 100, decisionsByRules: 70, slaBreaches: 3 }],
    ['69 % by rules', 2, { decisions: 100, decisionsByRules: 69 }],
    ['breaches just over 10 % of reviews', 2, { slaBreaches: 4 }],
    ['no manual review, no breach', 3, { manualReviews: 0, slaBreaches: 0 }],
    ['one decision by rules', 2, { decisions: 100, decisionsByRules: 1 }],
    ['no decision by rules', 1, { decisionsByRules: 0 }],
    ['no decision at all', 1, { decisions: 0, decisionsByRules: 0 }],
  ])('%s → stage %i', (_, stage, overrides) => {
    expect(systemsAndProcess(mature(overrides)).stage).toBe(stage);
  });
});

describe('Conflict Management', () => {
  it.each<[string, number, Partial<MaturityFacts>]>([
    ['conflict rate 9.9 %', 3, { registrations: 1000, registrationsInConflict: 99 }],
    ['conflict rate 10 %', 2, { registrations: 100, registrationsInConflict: 10 }],
    ['median 47.9 h', 3, { medianHoursToResolve: 47.9 }],
    ['median 48 h', 2, { medianHoursToResolve: 48 }],
    ['defaults 20 % of decided cases', 3, { conflictsResolved: 4, conflictsDefaulted: 1 }],
    ['defaults over 20 % of decided cases', 2, { conflictsResolved: 3, conflictsDefaulted: 1 }],
    ['only defaulted cases', 2, { conflictsResolved: 0, conflictsDefaulted: 2 }],
    ['no case decided', 1, { conflictsResolved: 0, conflictsDefaulted: 0, medianHoursToResolve: null }],
    ['no case at all', 1, { conflictsOpened: 0, conflictsResolved: 0, medianHoursToResolve: null }],
  ])('%s → stage %i', (_, stage, overrides) => {
    expect(conflictManagement(mature(overrides)).stage).toBe(stage);
  });
});

describe('Partner & Field Trust', () => {
  it.each<[string, number, Partial<MaturityFacts>]>([
    ['80 % acknowledged, appeals 5 % of decided cases', 3, { acknowledged: 8, appeals: 1, conflictsResolved: 20 }],
    ['appeals just over 5 %', 2, { appeals: 1, conflictsResolved: 19 }],
    ['an appeal without a decided case', 2, { appeals: 1, conflictsResolved: 0 }],
    ['79 % acknowledged', 2, { acknowledged: 79, partners: 100 }],
    ['50 % acknowledged', 2, { acknowledged: 5, progressUpdates: 0 }],
    ['49 % acknowledged, few updates', 1, { acknowledged: 49, partners: 100, progressUpdates: 24 }],
    ['49 % acknowledged, one update per two approved', 2, { acknowledged: 49, partners: 100, progressUpdates: 25 }],
    ['acknowledged but not published', 1, { publishedVersion: null, progressUpdates: 0 }],
    ['updates without approved registrations', 1, { acknowledged: 0, approvedRegistrations: 0, progressUpdates: 3 }],
    ['5 ratings averaging 4.0', 3, { ratings: 5, ratingAverage: 4 }],
    ['5 ratings averaging 3.9', 2, { ratings: 5, ratingAverage: 3.9 }],
    ['4 ratings averaging 1.0: too few to count', 3, { ratings: 4, ratingAverage: 1 }],
    [
      'low trust otherwise, 5 ratings averaging 3.0',
      2,
      { acknowledged: 0, progressUpdates: 0, ratings: 5, ratingAverage: 3 },
    ],
    [
      'low trust otherwise, 5 ratings averaging 2.9',
      1,
      { acknowledged: 0, progressUpdates: 0, ratings: 5, ratingAverage: 2.9 },
    ],
  ])('%s → stage %i', (_, stage, overrides) => {
    expect(partnerAndFieldTrust(mature(overrides)).stage).toBe(stage);
  });

  it('names the satisfaction it rests on', () => {
    expect(partnerAndFieldTrust(mature({ ratings: 6, ratingAverage: 4.25 })).evidence).toContain(
      'partner satisfaction 4.3 of 5 over 6 ratings',
    );
    expect(partnerAndFieldTrust(mature({ ratings: 2, ratingAverage: 5 })).evidence).toContain(
      'partner satisfaction 5 of 5 over 2 ratings (counts from 5)',
    );
    expect(partnerAndFieldTrust(mature()).evidence).toContain('no partner ratings');
  });
});

describe('Measurement & Improvement', () => {
  it.each<[string, number, Partial<MaturityFacts>]>([
    ['a review held and a version published', 3, { reviewsHeld: 1, versionsPublishedLastYear: 1 }],
    ['no review held', 2, { reviewsHeld: 0 }],
    ['no version published in the year', 2, { versionsPublishedLastYear: 0 }],
    ['one registration', 2, { reviewsHeld: 0, registrations: 1 }],
    ['no registration', 1, { reviewsHeld: 0, registrations: 0 }],
    ['reviews and versions but no registration', 3, { registrations: 0 }],
  ])('%s → stage %i', (_, stage, overrides) => {
    expect(measurementAndImprovement(mature(overrides)).stage).toBe(stage);
  });
});
