import { z } from 'zod';
import type { Store } from '../../store';
import type { Principal } from '../../domain/principal';
import type { PartnerFeedback } from '../../store/feedback';
import type { RouteTable } from '../routes';
import { conflict, notFound } from '../problem';

// Partner feedback: after each decision on its registration, and each resolved conflict case it is
// a party to, the partner may rate it 1–5 with a comment; rating it again replaces the rating.
// Ops read satisfaction per period and per decision type; the maturity scorecard counts it.

const READERS = ['admin', 'ops', 'manager'] as const;
const rateBody = z.strictObject({
  rating: z.number().int().min(1).max(5).describe('1 (poor) to 5 (excellent)'),
  comment: z.string().trim().max(2000).optional(),
});
const feedbackView = z.object({
  partnerId: z.string(),
  subject: z.object({ kind: z.enum(['registration', 'conflict']), id: z.string() }),
  decision: z.object({ type: z.string(), decidedAt: z.string() }).describe('The decision rated'),
  rating: z.number().int(),
  comment: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const registrationId = z.strictObject({
  id: z.string().regex(/^reg-[0-9a-f]{16}$/, 'a registration id such as "reg-0123456789abcdef"'),
});
const conflictId = z.strictObject({
  id: z.string().regex(/^cf-[0-9a-f]{16}$/, 'a conflict id such as "cf-0123456789abcdef"'),
});

const satisfactionFigures = z.object({
  ratings: z.number().int(),
  average: z.number().nullable().describe('Mean rating, 1–5, to two decimals; null without ratings'),
});
const satisfactionView = satisfactionFigures.extend({
  period: z.object({ from: z.string().optional(), to: z.string().optional() }),
  byDecisionType: z.array(satisfactionFigures.extend({ decisionType: z.string() })),
  byMonth: z.array(satisfactionFigures.extend({ month: z.string().describe('YYYY-MM (UTC)') })),
});

type Subject = { kind: 'registration' | 'conflict'; id: string };
type Rated = { partnerId: string; subject: Subject; decision: { type: string; decidedAt: string } };

const average = (total: number, ratings: number) => (ratings ? Math.round((total / ratings) * 100) / 100 : null);

export function feedbackRoutes(table: RouteTable, store: Store): void {
  const partnerOf = (principal: Principal) => (principal.role === 'partner' ? principal.partnerId : undefined);

  /** The decision the partner may rate now on its registration; 404 when it is not theirs. */
  async function registrationDecision(principal: Principal, id: string): Promise<Rated> {
    const partnerId = partnerOf(principal)!;
    const view = await store.registrations.getOwnedBy(id, partnerId);
    if (!view) throw notFound(`registration ${id}`);
    const outcome = view.decision?.outcome;
    if (!view.decision || (outcome !== 'approved' && outcome !== 'rejected')) {
      throw conflict(`registration ${id} has no decision to rate yet: it is ${view.status}`);
    }
    return {
      partnerId,
      subject: { kind: 'registration', id },
      decision: { type: outcome, decidedAt: view.decision.decidedAt },
    };
  }

  /** The standing decision of a case the partner is a party to; 404 when it is not. */
  async function caseDecision(principal: Principal, id: string): Promise<Rated> {
    const partnerId = partnerOf(principal)!;
    const view = await store.conflicts.get(id);
    if (!view || !view.parties.some((p) => p.kind === 'partner' && p.partnerId === partnerId)) {
      throw notFound(`conflict case ${id}`);
    }
    if (!view.resolution || view.status === 'open') throw conflict(`conflict case ${id} is not decided yet`);
    return {
      partnerId,
      subject: { kind: 'conflict', id },
      decision: {
        type: `conflict_${view.resolution.by === 'default' ? 'defaulted' : 'resolved'}`,
        decidedAt: view.resolution.decidedAt,
      },
    };
  }

  const surfaces = [
    {
      path: '/api/registrations/{id}/feedback',
      what: 'registration',
      params: registrationId,
      decisionOf: registrationDecision,
      tag: 'Registrations',
    },
    {
      path: '/api/conflicts/{id}/feedback',
      what: 'conflict case',
      params: conflictId,
      decisionOf: caseDecision,
      tag: 'Conflicts',
    },
  ] as const;

  for (const surface of surfaces) {
    table.add({
      method: 'post',
      path: surface.path,
      summary: `Rate the decision on your ${surface.what}, 1–5 with a comment (again: replaces your rating)`,
      tag: surface.tag,
      roles: ['partner'],
      params: surface.params,
      body: rateBody,
      responses: {
        201: { description: 'Rated', schema: feedbackView },
        200: { description: 'Rated again: the rating replaced', schema: feedbackView },
        404: { description: `No such ${surface.what} (or not yours)` },
        409: { description: 'Nothing decided yet to rate' },
      },
      handler: async ({ params, body, principal }) => {
        const rated = await surface.decisionOf(principal, params.id);
        const { feedback, created } = await store.feedback.rate({
          ...rated,
          rating: body.rating,
          comment: body.comment,
        });
        await store.audit.append(
          `feedback:${rated.subject.kind}:${params.id}:${rated.decision.decidedAt}:${feedback.updatedAt}`,
          {
            subject: `${rated.subject.kind}:${params.id}`,
            at: feedback.updatedAt,
            actor: principal.subject,
            action: `${rated.subject.kind}.rated`,
            detail: { rating: feedback.rating, decisionType: feedback.decision.type },
          },
        );
        return { status: created ? 201 : 200, body: feedback };
      },
    });
    table.add({
      method: 'get',
      path: surface.path,
      summary: `Your ratings of the decisions on your ${surface.what}, newest decision first`,
      tag: surface.tag,
      roles: ['partner'],
      params: surface.params,
      responses: {
        200: { description: 'Your ratings', schema: z.object({ items: z.array(feedbackView) }) },
        404: { description: `No such ${surface.what} (or not yours)` },
      },
      handler: async ({ params, principal }) => {
        const partnerId = partnerOf(principal)!;
        const visible =
          surface.what === 'registration'
            ? await store.registrations.getOwnedBy(params.id, partnerId)
            : (await store.conflicts.get(params.id))?.parties.some(
                (p) => p.kind === 'partner' && p.partnerId === partnerId,
              );
        if (!visible) throw notFound(`${surface.what} ${params.id}`);
        const kind: PartnerFeedback['subject']['kind'] = surface.what === 'registration' ? 'registration' : 'conflict';
        return { status: 200, body: { items: await store.feedback.of(partnerId, kind, params.id) } };
      },
    });
  }

  table.add({
    method: 'get',
    path: '/api/reports/satisfaction',
    summary: 'Partner satisfaction with decisions: ratings and their average, per decision type and per month',
    tag: 'Metrics',
    roles: READERS,
    query: z.strictObject({
      from: z.iso.date().optional().describe('Ratings given on or after this day (UTC)'),
      to: z.iso.date().optional().describe('…and before this day (UTC)'),
    }),
    responses: { 200: { description: 'Satisfaction', schema: satisfactionView } },
    handler: async ({ query }) => {
      const rows = await store.feedback.satisfaction({
        ...(query.from ? { from: `${query.from}T00:00:00Z` } : {}),
        ...(query.to ? { to: `${query.to}T00:00:00Z` } : {}),
      });
      const sumBy = (key: (r: (typeof rows)[number]) => string) => {
        const groups = new Map<string, { ratings: number; total: number }>();
        for (const row of rows) {
          const group = groups.get(key(row)) ?? { ratings: 0, total: 0 };
          group.ratings += row.ratings;
          group.total += row.total;
          groups.set(key(row), group);
        }
        return [...groups].sort(([a], [b]) => a.localeCompare(b));
      };
      const ratings = rows.reduce((n, r) => n + r.ratings, 0);
      const total = rows.reduce((n, r) => n + r.total, 0);
      return {
        status: 200,
        body: {
          period: { ...(query.from ? { from: query.from } : {}), ...(query.to ? { to: query.to } : {}) },
          ratings,
          average: average(total, ratings),
          byDecisionType: sumBy((r) => r.decisionType).map(([decisionType, g]) => ({
            decisionType,
            ratings: g.ratings,
            average: average(g.total, g.ratings),
          })),
          byMonth: sumBy((r) => r.month).map(([month, g]) => ({
            month,
            ratings: g.ratings,
            average: average(g.total, g.ratings),
          })),
        },
      };
    },
  });
}
