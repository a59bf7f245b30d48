import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  DECISION_OUTCOMES,
  policyDocumentSchema,
  validatePolicyDocument,
  type PolicyDocument,
} from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import { diffPolicies } from '../../domain/policyDiff';
import { impactOf, type ImpactRegistration, type PolicyDocumentOf } from '../../domain/policyImpact';
import { POLICY_STATUSES, isPolicyCursor, type PolicyVersion } from '../../store/policies';
import type { Store } from '../../store';
import type { RouteTable } from '../routes';
import { badRequest, conflict, notFound } from '../problem';
import { amountTotalView, instantSchema, listCursor, moneyView, pageOf, pageQuery } from '../schemas';

const EVERY_ROLE = ['admin', 'ops', 'manager', 'partner'] as const;

export const policyView = z.object({
  version: z.number().int(),
  title: z.string(),
  status: z.enum(POLICY_STATUSES),
  document: z.unknown(),
  createdAt: z.string(),
  updatedAt: z.string(),
  publishedAt: z.string().optional(),
  effectiveAt: z.string().optional(),
  supersededAt: z.string().optional(),
  cancelledAt: z.string().optional(),
  cancelReason: z.string().optional(),
  frozen: z.boolean(),
});
const versionParam = z.strictObject({ version: z.coerce.number().int().min(1).max(1_000_000) });

/** The schema checks each field; the cross-references (route ids, ladder order…) are checked here too. */
function validDocument(body: unknown): PolicyDocument {
  const result = validatePolicyDocument(body);
  if (!result.ok) {
    throw badRequest(
      `the policy document is invalid: ${result.errors.map((e) => `${e.path || '(document)'}: ${e.message}`).join('; ')}`,
      result.errors,
    );
  }
  return result.policy;
}

export function policyRoutes(table: RouteTable, store: Store): void {
  // Keyed by each write, not by the request id: a client may send one X-Request-Id with many
  // writes, and each must stay in the trail.
  const audit = (principal: Principal, requestId: string, policy: PolicyVersion, action: string) =>
    // Not the row's updatedAt: two writes in one millisecond would share it.
    store.audit.append(`request:${requestId}:policy:${policy.version}:${action}:${randomUUID()}`, {
      subject: `policy:${policy.version}`,
      at: new Date().toISOString(),
      actor: principal.subject,
      action,
      detail: { title: policy.title, status: policy.status },
    });

  table.add({
    method: 'post',
    path: '/api/policies',
    summary: 'Create a policy draft',
    tag: 'Policies',
    roles: ['admin'],
    body: policyDocumentSchema,
    responses: { 201: { description: 'The new draft, numbered after the last version', schema: policyView } },
    handler: async ({ body, principal, req }) => {
      const policy = await store.policies.createDraft(validDocument(body));
      await audit(principal, String(req.id), policy, 'policy.draft_created');
      return { status: 201, body: policy, headers: { Location: `/api/policies/${policy.version}` } };
    },
  });
  table.add({
    method: 'get',
    path: '/api/policies',
    summary: 'List policy versions',
    tag: 'Policies',
    roles: EVERY_ROLE,
    query: pageQuery.extend({
      cursor: listCursor(isPolicyCursor).optional(),
      status: z.enum(POLICY_STATUSES).optional(),
    }),
    responses: { 200: { description: 'A page of versions, oldest first', schema: pageOf(policyView) } },
    handler: async ({ query }) => ({
      status: 200,
      body: await store.policies.list(query.limit, query.cursor, query.status),
    }),
  });
  table.add({
    method: 'get',
    path: '/api/policies/current',
    summary: 'Read the version in effect now',
    tag: 'Policies',
    roles: EVERY_ROLE,
    responses: { 200: { description: 'The effective version', schema: policyView }, 404: { description: 'None yet' } },
    handler: async () => {
      const policy = await store.policies.current();
      if (!policy) throw notFound('an effective policy version');
      return { status: 200, body: policy };
    },
  });
  table.add({
    method: 'get',
    path: '/api/policies/effective',
    summary: 'Read the version in effect at an instant',
    tag: 'Policies',
    roles: EVERY_ROLE,
    query: z.strictObject({ at: instantSchema.describe('ISO 8601 instant') }),
    responses: {
      200: { description: 'The version that governed at that instant', schema: policyView },
      404: { description: 'No version was in effect then' },
    },
    handler: async ({ query }) => {
      const policy = await store.policies.effectiveAt(new Date(query.at));
      if (!policy) throw notFound(`a policy version effective at ${query.at}`);
      return { status: 200, body: policy };
    },
  });
  table.add({
    method: 'get',
    path: '/api/policies/{version}',
    summary: 'Read a policy version',
    tag: 'Policies',
    roles: EVERY_ROLE,
    params: versionParam,
    responses: { 200: { description: 'The version', schema: policyView }, 404: { description: 'No such version' } },
    handler: async ({ params }) => {
      const policy = await store.policies.get(params.version);
      if (!policy) throw notFound(`policy version ${params.version}`);
      return { status: 200, body: policy };
    },
  });
  table.add({
    method: 'put',
    path: '/api/policies/{version}',
    summary: 'Replace a policy draft',
    tag: 'Policies',
    roles: ['admin'],
    params: versionParam,
    body: policyDocumentSchema,
    responses: {
      200: { description: 'The replaced draft', schema: policyView },
      404: { description: 'No such version' },
      409: { description: 'The version is no longer a draft' },
    },
    handler: async ({ params, body, principal, req }) => {
      const result = await store.policies.replaceDraft(params.version, validDocument(body));
      if (result.kind === 'missing') throw notFound(`policy version ${params.version}`);
      if (result.kind === 'not_draft') {
        const why = result.policy.status === 'draft' ? 'frozen by its rollout' : result.policy.status;
        throw conflict(`policy version ${params.version} is ${why}; only drafts can be replaced`, {
          policyStatus: result.policy.status,
        });
      }
      await audit(principal, String(req.id), result.policy, 'policy.draft_replaced');
      return { status: 200, body: result.policy };
    },
  });
  table.add({
    method: 'get',
    path: '/api/policies/{version}/impact',
    summary: 'Dry-run a draft or scheduled policy version against recent registrations',
    tag: 'Policies',
    roles: ['admin'],
    params: versionParam,
    responses: {
      200: {
        description: 'The registrations active now or submitted in the last 90 days that it would decide differently',
        schema: z.object({
          version: z.number().int(),
          evaluated: z.number().int(),
          changed: z.array(
            z.object({
              registrationId: z.string(),
              partnerId: z.string(),
              amount: moneyView.describe('The amount as registered'),
              currentOutcome: z.enum(DECISION_OUTCOMES),
              currentRuleIds: z.array(z.string()),
              newOutcome: z.enum(DECISION_OUTCOMES),
              newRuleIds: z.array(z.string()),
              newReason: z.string(),
            }),
          ),
          changedAmount: amountTotalView.describe(
            "The changed registrations' amounts summed in the version's base currency, converted with its exchange rates",
          ),
          partnersTouched: z.array(z.string()),
        }),
      },
      404: { description: 'No such version' },
      409: { description: 'The version is neither a draft nor scheduled' },
    },
    handler: async ({ params }) => {
      const policy = await store.policies.get(params.version);
      if (!policy) throw notFound(`policy version ${params.version}`);
      if (policy.status !== 'draft' && policy.status !== 'scheduled') {
        throw conflict(
          `policy version ${params.version} is ${policy.status}; only a draft or scheduled version has an impact to preview`,
          {
            policyStatus: policy.status,
          },
        );
      }
      const since = new Date(Date.now() - IMPACT_WINDOW_DAYS * 86_400_000).toISOString();
      const registrations = await impactRegistrations(store, since);
      const documentOf = await policyDocumentsOf(
        store,
        registrations.map((r) => r.view.policyVersion),
      );
      return {
        status: 200,
        body: { version: policy.version, ...impactOf(policy.document, policy.version, registrations, documentOf) },
      };
    },
  });
  table.add({
    method: 'get',
    path: '/api/policies/{a}/diff/{b}',
    summary: 'Compare two policy versions rule by rule',
    tag: 'Policies',
    roles: EVERY_ROLE,
    params: z.strictObject({ a: versionParam.shape.version, b: versionParam.shape.version }),
    responses: {
      200: {
        description:
          'What changes from version a to version b: added, removed and changed rules with old and new values',
        schema: z.object({
          from: z.number().int(),
          to: z.number().int(),
          changes: z.array(
            z.object({
              path: z.string(),
              kind: z.enum(['added', 'removed', 'changed']),
              old: z.unknown().optional(),
              new: z.unknown().optional(),
              summary: z.string(),
            }),
          ),
        }),
      },
      404: { description: 'No such version' },
    },
    handler: async ({ params }) => {
      const [from, to] = await Promise.all([store.policies.get(params.a), store.policies.get(params.b)]);
      if (!from) throw notFound(`policy version ${params.a}`);
      if (!to) throw notFound(`policy version ${params.b}`);
      return {
        status: 200,
        body: { from: from.version, to: to.version, changes: diffPolicies(from.document, to.document) },
      };
    },
  });
}

const IMPACT_WINDOW_DAYS = 90;

/**
 * The registrations a dry run looks at, with the partner and account as the directory has them now
 * (each looked up once per call). A registration whose partner left the directory cannot be decided.
 */
/** The documents of the versions the registrations were submitted under, each read once. */
async function policyDocumentsOf(store: Store, versions: number[]): Promise<PolicyDocumentOf> {
  const documents = new Map<number, PolicyDocument>();
  for (const version of new Set(versions)) {
    const stored = await store.policies.get(version);
    if (stored) documents.set(version, stored.document);
  }
  return (version) => documents.get(version);
}

async function impactRegistrations(store: Store, since: string): Promise<ImpactRegistration[]> {
  const views = await store.registrations.forImpact(since);
  const partners = new Map<string, ReturnType<Store['directory']['getPartner']>>();
  const accounts = new Map<string, ReturnType<Store['directory']['getAccount']>>();
  const cached = <T>(cache: Map<string, T>, key: string, load: () => T) => {
    if (!cache.has(key)) cache.set(key, load());
    return cache.get(key)!;
  };
  const joined = await Promise.all(
    views.map(async (view): Promise<ImpactRegistration | undefined> => {
      const [partner, account] = await Promise.all([
        cached(partners, view.partnerId, () => store.directory.getPartner(view.partnerId)),
        cached(accounts, view.account.domain, () => store.directory.getAccount(view.account.domain)),
      ]);
      if (!partner) return undefined;
      return {
        view,
        partner: { tier: partner.tier, type: partner.type, regions: partner.regions },
        namedDirect: Boolean(account?.directOwner),
      };
    }),
  );
  return joined.filter((registration): registration is ImpactRegistration => registration !== undefined);
}
