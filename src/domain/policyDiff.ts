/**
 * The rule-by-rule difference of two policy versions, for the program owner who reads a notice:
 * routes compared by id (and by position, because the first matching route decides), then the
 * registration rules, the conflict ladder tier by tier, the calendar, the notice period, the title
 * and the playbook scenarios by id. Pure: the same two documents always give the same list.
 */
import type { PlaybookScenario, PolicyDocument, PolicyRoute } from './policy';
import { baseCurrencyOf, rateOf } from './money';

export type PolicyChangeKind = 'added' | 'removed' | 'changed';

export type PolicyChange = {
  /** Where the change is: `routes[R-DEFAULT].eligibleTiers`, `conflicts.escalation[2].sla`. */
  path: string;
  kind: PolicyChangeKind;
  old?: unknown;
  new?: unknown;
  /** One sentence a program owner reads. */
  summary: string;
};

/** How a field reads in a summary; `absent` names what a left-out optional field means ("every tier"). */
type Field = { path: string; label: string; old: unknown; new: unknown; set?: boolean; absent?: string };

export function diffPolicies(a: PolicyDocument, b: PolicyDocument): PolicyChange[] {
  return [
    ...fieldChanges([{ path: 'title', label: 'The title', old: a.title, new: b.title }]),
    ...fieldChanges([{ path: 'noticePeriod', label: 'The notice period', old: a.noticePeriod, new: b.noticePeriod }]),
    ...routeChanges(a.routes, b.routes),
    ...moneyChanges(a, b),
    ...registrationChanges(a.registration, b.registration),
    ...conflictChanges(a.conflicts, b.conflicts),
    ...calendarChanges(a.calendar, b.calendar),
    ...playbookChanges(a.playbook, b.playbook),
  ];
}

// ---------------------------------------------------------------- routes

function routeChanges(before: readonly PolicyRoute[], after: readonly PolicyRoute[]): PolicyChange[] {
  const afterIds = new Set(after.map((route) => route.id));
  const beforeIds = new Set(before.map((route) => route.id));
  const removed = before
    .filter((route) => !afterIds.has(route.id))
    .map((route) => ({
      path: `routes[${route.id}]`,
      kind: 'removed' as const,
      old: route,
      summary: `Route ${route.id} (${routeWords(route)}) is removed.`,
    }));
  const added = after
    .filter((route) => !beforeIds.has(route.id))
    .map((route) => ({
      path: `routes[${route.id}]`,
      kind: 'added' as const,
      new: route,
      summary: `Route ${route.id} (${routeWords(route)}) is added at position ${after.indexOf(route) + 1}.`,
    }));
  const changed = after
    .filter((route) => beforeIds.has(route.id))
    .flatMap((route) =>
      routeFieldChanges(
        before.find((old) => old.id === route.id)!,
        route,
      ),
    );
  return [...removed, ...added, ...changed, ...routeMoves(before, after)];
}

function routeFieldChanges(before: PolicyRoute, after: PolicyRoute): PolicyChange[] {
  const at = (field: string) => `routes[${after.id}].${field}`;
  const of = (what: string) => `Route ${after.id}'s ${what}`;
  return fieldChanges([
    {
      path: at('when.segments'),
      label: of('segments'),
      old: before.when.segments,
      new: after.when.segments,
      set: true,
      absent: 'every segment',
    },
    {
      path: at('when.regions'),
      label: of('regions'),
      old: before.when.regions,
      new: after.when.regions,
      set: true,
      absent: 'every region',
    },
    {
      path: at('when.productLines'),
      label: of('product lines'),
      old: before.when.productLines,
      new: after.when.productLines,
      set: true,
      absent: 'every product line',
    },
    { path: at('route'), label: of('route'), old: before.route, new: after.route },
    {
      path: at('partnerRegistration'),
      label: of('partner registration rule'),
      old: before.partnerRegistration,
      new: after.partnerRegistration,
    },
    {
      path: at('eligibleTiers'),
      label: of('eligible tiers'),
      old: before.eligibleTiers,
      new: after.eligibleTiers,
      set: true,
      absent: 'every tier',
    },
    {
      path: at('eligibleTypes'),
      label: of('eligible partner types'),
      old: before.eligibleTypes,
      new: after.eligibleTypes,
      set: true,
      absent: 'every partner type',
    },
  ]);
}

/**
 * Order decides which route matches, so a route whose place among the routes of both versions
 * changed is reported: the fewest moves, those outside the longest run kept in order.
 */
function routeMoves(before: readonly PolicyRoute[], after: readonly PolicyRoute[]): PolicyChange[] {
  const afterIds = after.map((route) => route.id);
  const shared = before.map((route) => route.id).filter((id) => afterIds.includes(id));
  const sharedAfter = afterIds.filter((id) => shared.includes(id));
  const kept = new Set(longestCommonSubsequence(shared, sharedAfter));
  const positionIn = (routes: readonly PolicyRoute[], id: string) => routes.findIndex((route) => route.id === id) + 1;
  return sharedAfter
    .filter((id) => !kept.has(id))
    .map((id) => {
      const [from, to] = [positionIn(before, id), positionIn(after, id)];
      return {
        path: `routes[${id}].position`,
        kind: 'changed' as const,
        old: from,
        new: to,
        summary: `Route ${id} moves from position ${from} to position ${to}, so it is tried in another order.`,
      };
    });
}

function longestCommonSubsequence(a: readonly string[], b: readonly string[]): string[] {
  const lengths = a.map(() => b.map(() => 0));
  const at = (i: number, j: number) => (i < a.length && j < b.length ? lengths[i][j] : 0);
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      lengths[i][j] = a[i] === b[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
    }
  }
  const common: string[] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (a[i] === b[j]) {
      common.push(a[i]);
      [i, j] = [i + 1, j + 1];
    } else if (at(i + 1, j) >= at(i, j + 1)) i += 1;
    else j += 1;
  }
  return common;
}

function routeWords(route: PolicyRoute): string {
  const conditions = Object.entries(route.when)
    .filter((entry): entry is [string, string[]] => entry[1] !== undefined)
    .map(([name, values]) => `${name} ${listOf(values)}`);
  const scope = conditions.length > 0 ? `for ${conditions.join(', ')}` : 'for everything else';
  return `${route.route}, ${route.partnerRegistration} partner registrations, ${scope}`;
}

// ---------------------------------------------------------------- money

/**
 * The base currency and each exchange rate, as the engine reads them: a document without a
 * currency means EUR, and the base currency's own rate is always 1, so neither is a change.
 */
function moneyChanges(before: PolicyDocument, after: PolicyDocument): PolicyChange[] {
  const [was, is] = [baseCurrencyOf(before), baseCurrencyOf(after)];
  const codes = [...new Set([...Object.keys(before.exchangeRates ?? {}), ...Object.keys(after.exchangeRates ?? {})])];
  const rates = codes
    .filter((code) => code !== was || code !== is)
    .sort()
    .map((code) => ({
      path: `exchangeRates[${code}]`,
      label: `The ${code} exchange rate`,
      old: code === was ? undefined : rateOf(before, code),
      new: code === is ? undefined : rateOf(after, code),
    }));
  return fieldChanges([{ path: 'currency', label: 'The base currency of amounts', old: was, new: is }, ...rates]);
}

// ---------------------------------------------------------------- registration

function registrationChanges(
  before: PolicyDocument['registration'],
  after: PolicyDocument['registration'],
): PolicyChange[] {
  const [was, is] = [before.review.autoApprove, after.review.autoApprove];
  const autoApprove =
    was && is
      ? fieldChanges([
          {
            path: 'registration.review.autoApprove.maxAmount',
            label: 'The auto-approval threshold',
            old: was.maxAmount,
            new: is.maxAmount,
          },
          {
            path: 'registration.review.autoApprove.tiers',
            label: 'The auto-approved tiers',
            old: was.tiers,
            new: is.tiers,
            set: true,
          },
        ])
      : fieldChanges([{ path: 'registration.review.autoApprove', label: 'Auto-approval', old: was, new: is }]);
  return [
    ...fieldChanges([
      { path: 'registration.validity', label: 'Registration validity', old: before.validity, new: after.validity },
      {
        path: 'registration.reminders',
        label: 'The expiry reminders',
        old: before.reminders,
        new: after.reminders,
        set: true,
      },
      {
        path: 'registration.extensions.max',
        label: 'The number of extensions allowed',
        old: before.extensions.max,
        new: after.extensions.max,
      },
      {
        path: 'registration.extensions.length',
        label: 'The length of an extension',
        old: before.extensions.length,
        new: after.extensions.length,
      },
      { path: 'registration.review.sla', label: 'The review SLA', old: before.review.sla, new: after.review.sla },
      {
        path: 'registration.review.clock',
        label: 'The review clock',
        old: before.review.clock,
        new: after.review.clock,
      },
      {
        path: 'registration.review.onBreach',
        label: 'What a missed review SLA does',
        old: before.review.onBreach,
        new: after.review.onBreach,
      },
    ]),
    ...autoApprove,
    ...fieldChanges([
      { path: 'registration.staleAfter', label: 'The staleness period', old: before.staleAfter, new: after.staleAfter },
    ]),
  ];
}

// ---------------------------------------------------------------- conflicts

function conflictChanges(before: PolicyDocument['conflicts'], after: PolicyDocument['conflicts']): PolicyChange[] {
  const tiers = Math.max(before.escalation.length, after.escalation.length);
  const ladder = Array.from({ length: tiers }, (_, index) => {
    const [was, is] = [before.escalation[index], after.escalation[index]];
    const path = `conflicts.escalation[${index}]`;
    const tier = `escalation tier ${index + 1}`;
    if (!was)
      return [
        { path, kind: 'added' as const, new: is, summary: `Escalation tier ${index + 1} is added: ${stepWords(is)}.` },
      ];
    if (!is)
      return [
        {
          path,
          kind: 'removed' as const,
          old: was,
          summary: `Escalation tier ${index + 1} (${stepWords(was)}) is removed.`,
        },
      ];
    return fieldChanges([
      { path: `${path}.role`, label: `The role at ${tier}`, old: was.role, new: is.role },
      { path: `${path}.sla`, label: `The SLA at ${tier}`, old: was.sla, new: is.sla },
    ]);
  }).flat();
  return [
    ...ladder,
    ...fieldChanges([
      { path: 'conflicts.clock', label: 'The conflict clock', old: before.clock, new: after.clock },
      {
        path: 'conflicts.onFinalBreach',
        label: 'What a missed final SLA does',
        old: before.onFinalBreach,
        new: after.onFinalBreach,
      },
      { path: 'conflicts.appealWindow', label: 'The appeal window', old: before.appealWindow, new: after.appealWindow },
    ]),
  ];
}

const stepWords = (step: { role: string; sla: string }) => `${step.role} within ${step.sla}`;

// ---------------------------------------------------------------- calendar

function calendarChanges(before: PolicyDocument['calendar'], after: PolicyDocument['calendar']): PolicyChange[] {
  const holidays = [
    ...before.holidays
      .filter((day) => !after.holidays.includes(day))
      .map((day) => ({
        path: `calendar.holidays[${day}]`,
        kind: 'removed' as const,
        old: day,
        summary: `${day} is no longer a holiday.`,
      })),
    ...after.holidays
      .filter((day) => !before.holidays.includes(day))
      .map((day) => ({
        path: `calendar.holidays[${day}]`,
        kind: 'added' as const,
        new: day,
        summary: `${day} becomes a holiday.`,
      })),
  ];
  return [
    ...fieldChanges([
      { path: 'calendar.timezone', label: 'The calendar time zone', old: before.timezone, new: after.timezone },
      { path: 'calendar.workdays', label: 'The workdays', old: before.workdays, new: after.workdays, set: true },
      { path: 'calendar.hours.start', label: 'The working day start', old: before.hours.start, new: after.hours.start },
      { path: 'calendar.hours.end', label: 'The working day end', old: before.hours.end, new: after.hours.end },
    ]),
    ...holidays,
  ];
}

// ---------------------------------------------------------------- playbook

function playbookChanges(before: readonly PlaybookScenario[], after: readonly PlaybookScenario[]): PolicyChange[] {
  const find = (scenarios: readonly PlaybookScenario[], id: string) => scenarios.find((scenario) => scenario.id === id);
  const removed = before
    .filter((scenario) => !find(after, scenario.id))
    .map((scenario) => ({
      path: `playbook[${scenario.id}]`,
      kind: 'removed' as const,
      old: scenario,
      summary: `Playbook scenario ${scenario.id} ("${scenario.if}") is removed.`,
    }));
  const addedOrChanged = after.flatMap((scenario): PolicyChange[] => {
    const path = `playbook[${scenario.id}]`;
    const was = find(before, scenario.id);
    if (!was) {
      return [
        {
          path,
          kind: 'added',
          new: scenario,
          summary: `Playbook scenario ${scenario.id} ("${scenario.if}") is added.`,
        },
      ];
    }
    const fields = (['if', 'then', 'given', 'expect'] as const).filter((key) => !isSame(was[key], scenario[key]));
    if (fields.length === 0) return [];
    const summary = `Playbook scenario ${scenario.id} changes its ${listOf(fields.map((key) => `"${key}"`))}.`;
    return [{ path, kind: 'changed', old: was, new: scenario, summary }];
  });
  return [...removed, ...addedOrChanged];
}

// ---------------------------------------------------------------- fields

function fieldChanges(fields: readonly Field[]): PolicyChange[] {
  return fields.flatMap((field): PolicyChange[] => {
    if (isSame(field.old, field.new, field.set)) return [];
    const { path, label } = field;
    if (field.absent === undefined && field.old === undefined) {
      return [{ path, kind: 'added', new: field.new, summary: `${label} is set to ${valueWords(field.new)}.` }];
    }
    if (field.absent === undefined && field.new === undefined) {
      return [
        { path, kind: 'removed', old: field.old, summary: `${label} is removed (it was ${valueWords(field.old)}).` },
      ];
    }
    const words = (value: unknown) => (value === undefined ? field.absent! : valueWords(value));
    // Lists (tiers, regions, workdays…) are named in the plural.
    const summary = `${label} ${field.set ? 'change' : 'changes'} from ${words(field.old)} to ${words(field.new)}.`;
    return [
      {
        path,
        kind: 'changed',
        ...(field.old === undefined ? {} : { old: field.old }),
        ...(field.new === undefined ? {} : { new: field.new }),
        summary,
      },
    ];
  });
}

/** Lists that are sets (tiers, regions, workdays…) compare without their order. */
function isSame(a: unknown, b: unknown, set = false): boolean {
  if (set && Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && isSame([...a].map(canonical).sort(), [...b].map(canonical).sort());
  }
  return canonical(a) === canonical(b);
}

/** JSON with object keys sorted, so two documents with the same content compare equal. */
function canonical(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter((entry) => entry[1] !== undefined);
    entries.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function valueWords(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? 'none' : listOf(value.map(valueWords));
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value && typeof value === 'object' && 'maxAmount' in value && 'tiers' in value) {
    const rule = value as { maxAmount: number; tiers: string[] };
    return `up to ${rule.maxAmount} for ${listOf(rule.tiers)} partners`;
  }
  return JSON.stringify(value);
}

function listOf(words: readonly string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
