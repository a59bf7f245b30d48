import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_PARTNERS, DEV_PEOPLE } from '../../src/devDirectory';
import { startTestStack, type TestStack } from '../helpers/stack';
import { eventually } from '../helpers/eventually';
import { deliveryIdOf } from '../../src/webhooks/dispatcher';
import { actionLink, policyStateKey } from '../../src/emailActions/links';
import type { CallOptions } from '../helpers/api';

// The README's "Authorization matrix" is the contract: each row × column is one real request on a
// real stack, and a route of the OpenAPI document without a row fails the suite.

const COLUMNS = [
  'anonymous',
  'partner, own object',
  "partner, another partner's object",
  'manager',
  'ops',
  'admin',
] as const;
type Column = (typeof COLUMNS)[number];

const TOKENS: Record<Column, string | undefined> = {
  anonymous: undefined,
  'partner, own object': 'dev-partner-northwind',
  // Not a party to any fixture: the fixtures are northwind's, or northwind's and contoso's.
  "partner, another partner's object": 'dev-partner-fabrikam',
  manager: 'dev-cm-emea',
  ops: 'dev-ops',
  admin: 'dev-admin',
};

interface Row {
  endpoint: string;
  expected: Record<Column, number>;
}

function matrixInReadme(): { header: string[]; rows: Row[] } {
  const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
  const start = readme.indexOf('\n## Authorization matrix\n');
  if (start < 0) throw new Error('README.md has no "## Authorization matrix" section');
  const section = readme.slice(start + 1, readme.indexOf('\n## ', start + 1));
  const cellsOf = (line: string) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
  const lines = section.split('\n').filter((line) => line.startsWith('|'));
  const rows = lines
    .filter((line) => line.startsWith('| `'))
    .map((line): Row => {
      const [endpoint, ...cells] = cellsOf(line);
      const codes = cells.map((cell) => Number(/^\d{3}/.exec(cell)?.[0] ?? NaN));
      return {
        endpoint: endpoint.replace(/`/g, ''),
        expected: Object.fromEntries(COLUMNS.map((column, i) => [column, codes[i]])) as Record<Column, number>,
      };
    });
  return { header: cellsOf(lines[0]), rows };
}

const matrix = matrixInReadme();
/** A public address (none of the forbidden ranges); nothing here reaches it, and nothing needs to. */
const WEBHOOK_URL = 'https://93.184.215.14/hooks/roe';

interface Fixtures {
  draft: number;
  draftToPublish: number;
  /** A draft no rollout manages yet: the one rollout of a version is the fixture's. */
  draftToRollOut: number;
  scheduled: number;
  ownApproved: string;
  ownToClose: string;
  closedByManager: string;
  ownToWithdraw: string;
  underReview: string;
  infoRequested: string;
  openCase: string;
  lostCase: string;
  /** Decided, never appealed: its partners may rate it. */
  decidedCase: string;
  rollout: string;
  rolloutWorkflowId: string;
  apiKeyId: string;
  /** An acknowledgement link of contoso's for version 1: anyone holding it may use it, once. */
  emailActionToken: string;
  webhookId: string;
  webhookToDelete: string;
  deliveryId: string;
}

/** `stream`: an endless answer (server-sent events): its status is read, then the request ends. */
type Request = { method: string; path: string; stream?: boolean } & Pick<CallOptions, 'body' | 'rawBody' | 'headers'>;

let stack: TestStack;
let fixtures: Fixtures;
let sequence = 0;
/** Policy version 1's document, sent back as the body of a new or replaced draft. */
let policyDocument: unknown;

const aRegistration = (domain: string, productLine: string, value = 20_000) => ({
  account: { name: 'Matrix Account', domain, region: 'emea' },
  opportunity: {
    title: 'Matrix deal',
    productLine,
    amount: { value, currency: 'EUR' },
    expectedCloseDate: '2027-03-31',
  },
});
const { id: _partnerId, ...northwind } = DEV_PARTNERS[0];
const { id: _personId, ...channelManager } = DEV_PEOPLE[0];
const reason = { reason: 'checked by the authorization matrix' };

/** A dry run of an import with the header alone: allowed or refused, it changes nothing. */
const csvImport = (kind: string, header: string): Request => ({
  method: 'POST',
  path: `/api/directory/${kind}/import?dryRun=true`,
  rawBody: `${header}\n`,
  headers: { 'content-type': 'text/csv' },
});

/** The request each row makes in a column: same endpoint, with an object that lets that column's call succeed. */
const REQUESTS: Record<string, (column: Column) => Request> = {
  'PUT /api/directory/partners/{partnerId}': () => ({
    method: 'PUT',
    path: '/api/directory/partners/northwind',
    body: northwind,
  }),
  'GET /api/directory/partners/{partnerId}': () => ({ method: 'GET', path: '/api/directory/partners/northwind' }),
  'GET /api/directory/partners': () => ({ method: 'GET', path: '/api/directory/partners' }),
  'POST /api/directory/partners/import': () => csvImport('partners', 'id,name,type,tier,regions,contacts'),
  'GET /api/directory/partners/export': () => ({ method: 'GET', path: '/api/directory/partners/export' }),
  'POST /api/directory/accounts/import': () =>
    csvImport('accounts', 'domain,name,segment,region,directOwnerName,directOwnerEmail'),
  'GET /api/directory/accounts/export': () => ({ method: 'GET', path: '/api/directory/accounts/export' }),
  'POST /api/directory/people/import': () => csvImport('people', 'id,name,email,escalationRoles,regions'),
  'GET /api/directory/people/export': () => ({ method: 'GET', path: '/api/directory/people/export' }),
  'PUT /api/directory/accounts/{domain}': () => ({
    method: 'PUT',
    path: '/api/directory/accounts/initech.example',
    body: { name: 'Initech', segment: 'mid_market', region: 'emea' },
  }),
  'GET /api/directory/accounts/{domain}': () => ({ method: 'GET', path: '/api/directory/accounts/initech.example' }),
  'GET /api/directory/accounts': () => ({ method: 'GET', path: '/api/directory/accounts' }),
  'PUT /api/directory/people/{personId}': () => ({
    method: 'PUT',
    path: '/api/directory/people/cm-emea',
    body: channelManager,
  }),
  'GET /api/directory/people/{personId}': () => ({ method: 'GET', path: '/api/directory/people/cm-emea' }),
  'GET /api/directory/people': () => ({ method: 'GET', path: '/api/directory/people' }),
  'POST /api/policies': () => ({ method: 'POST', path: '/api/policies', body: policyDocument }),
  'GET /api/policies': () => ({ method: 'GET', path: '/api/policies' }),
  'GET /api/policies/current': () => ({ method: 'GET', path: '/api/policies/current' }),
  'GET /api/policies/effective': () => ({
    method: 'GET',
    path: `/api/policies/effective?at=${new Date().toISOString()}`,
  }),
  'GET /api/policies/{version}': () => ({ method: 'GET', path: '/api/policies/1' }),
  'PUT /api/policies/{version}': () => ({
    method: 'PUT',
    path: `/api/policies/${fixtures.draft}`,
    body: policyDocument,
  }),
  'GET /api/policies/{version}/impact': () => ({ method: 'GET', path: `/api/policies/${fixtures.draft}/impact` }),
  'GET /api/policies/{a}/diff/{b}': () => ({ method: 'GET', path: `/api/policies/1/diff/${fixtures.draft}` }),
  'POST /api/policies/{version}/publish': () => ({
    method: 'POST',
    path: `/api/policies/${fixtures.draftToPublish}/publish`,
    body: {},
  }),
  'POST /api/policies/{version}/cancel': () => ({
    method: 'POST',
    path: `/api/policies/${fixtures.scheduled}/cancel`,
    body: reason,
  }),
  'POST /api/policies/{version}/acknowledgements': () => ({ method: 'POST', path: '/api/policies/1/acknowledgements' }),
  'GET /api/policies/{version}/notice': () => ({ method: 'GET', path: '/api/policies/1/notice' }),
  'POST /api/registrations': () => ({
    method: 'POST',
    path: '/api/registrations',
    body: aRegistration(`new-${++sequence}-matrix.example`, 'analytics'),
  }),
  'POST /api/registrations/pre-check': () => ({
    method: 'POST',
    path: '/api/registrations/pre-check',
    body: aRegistration(`pre-check-${++sequence}-matrix.example`, 'analytics'),
  }),
  'GET /api/registrations': () => ({ method: 'GET', path: '/api/registrations' }),
  'GET /api/registrations/{id}': () => ({ method: 'GET', path: `/api/registrations/${fixtures.ownApproved}` }),
  'POST /api/registrations/{id}/decision': () => ({
    method: 'POST',
    path: `/api/registrations/${fixtures.underReview}/decision`,
    body: { outcome: 'approve', ...reason },
  }),
  'POST /api/registrations/{id}/info': () => ({
    method: 'POST',
    path: `/api/registrations/${fixtures.infoRequested}/info`,
    body: { message: 'the customer confirmed the budget' },
  }),
  'POST /api/registrations/{id}/extensions': () => ({
    method: 'POST',
    path: `/api/registrations/${fixtures.ownApproved}/extensions`,
    body: reason,
  }),
  'POST /api/registrations/{id}/updates': () => ({
    method: 'POST',
    path: `/api/registrations/${fixtures.ownApproved}/updates`,
    body: { note: 'demo done', stage: 'evaluation' },
  }),
  'POST /api/registrations/{id}/close': (column) => ({
    method: 'POST',
    path: `/api/registrations/${column === 'manager' ? fixtures.closedByManager : fixtures.ownToClose}/close`,
    body: { outcome: 'won' },
  }),
  'POST /api/registrations/{id}/withdraw': () => ({
    method: 'POST',
    path: `/api/registrations/${fixtures.ownToWithdraw}/withdraw`,
    body: reason,
  }),
  'GET /api/inbox': () => ({ method: 'GET', path: '/api/inbox' }),
  'GET /api/events': () => ({ method: 'GET', path: '/api/events?limit=5' }),
  'GET /api/events/stream': () => ({ method: 'GET', path: '/api/events/stream', stream: true }),
  'GET /api/session': () => ({ method: 'GET', path: '/api/session' }),
  'GET /api/auth/config': () => ({ method: 'GET', path: '/api/auth/config' }),
  'GET /api/conflicts': () => ({ method: 'GET', path: '/api/conflicts' }),
  'GET /api/conflicts/{id}': () => ({ method: 'GET', path: `/api/conflicts/${fixtures.openCase}` }),
  'POST /api/conflicts/{id}/resolution': () => ({
    method: 'POST',
    path: `/api/conflicts/${fixtures.openCase}/resolution`,
    body: { award: 'co_sell', ...reason },
  }),
  'POST /api/conflicts/{id}/appeal': () => ({
    method: 'POST',
    path: `/api/conflicts/${fixtures.lostCase}/appeal`,
    body: reason,
  }),
  'POST /api/registrations/{id}/feedback': () => ({
    method: 'POST',
    path: `/api/registrations/${fixtures.ownApproved}/feedback`,
    body: { rating: 4 },
  }),
  'GET /api/registrations/{id}/feedback': () => ({
    method: 'GET',
    path: `/api/registrations/${fixtures.ownApproved}/feedback`,
  }),
  'POST /api/conflicts/{id}/feedback': () => ({
    method: 'POST',
    path: `/api/conflicts/${fixtures.decidedCase}/feedback`,
    body: { rating: 4 },
  }),
  'GET /api/conflicts/{id}/feedback': () => ({
    method: 'GET',
    path: `/api/conflicts/${fixtures.decidedCase}/feedback`,
  }),
  'GET /api/reports/satisfaction': () => ({ method: 'GET', path: '/api/reports/satisfaction' }),
  'GET /api/metrics': () => ({ method: 'GET', path: '/api/metrics' }),
  'POST /api/rollouts': () => ({
    method: 'POST',
    path: '/api/rollouts',
    body: { policyVersion: fixtures.draftToRollOut, sponsor: { name: 'Sam Sponsor', email: 'sam@vendor.example' } },
  }),
  'GET /api/rollouts': () => ({ method: 'GET', path: '/api/rollouts' }),
  'GET /api/rollouts/{id}': () => ({ method: 'GET', path: `/api/rollouts/${fixtures.rollout}` }),
  'POST /api/rollouts/{id}/tasks/{taskId}/complete': (column) => ({
    method: 'POST',
    path: `/api/rollouts/${fixtures.rollout}/tasks/${column === 'admin' ? 'align-2' : 'align-1'}/complete`,
  }),
  'POST /api/rollouts/{id}/stages/{stage}/sign-offs': () => ({
    method: 'POST',
    path: `/api/rollouts/${fixtures.rollout}/stages/align/sign-offs`,
    body: { decision: 'approve', comment: 'routes agreed' },
  }),
  'GET /api/workflows/{workflowId}': () => ({ method: 'GET', path: `/api/workflows/${fixtures.rolloutWorkflowId}` }),
  'GET /api/workflows': () => ({ method: 'GET', path: '/api/workflows?limit=5' }),
  'GET /api/audit': () => ({ method: 'GET', path: '/api/audit?subject=policy:1' }),
  'POST /api/api-keys': () => ({
    method: 'POST',
    path: '/api/api-keys',
    body: { name: 'matrix', grant: { role: 'ops' } },
  }),
  'GET /api/api-keys': () => ({ method: 'GET', path: '/api/api-keys' }),
  'DELETE /api/api-keys/{id}': () => ({ method: 'DELETE', path: `/api/api-keys/${fixtures.apiKeyId}` }),
  'POST /api/registrations/import': () => ({
    method: 'POST',
    path: '/api/registrations/import?dryRun=true',
    rawBody:
      'externalId,partnerId,accountName,domain,region,title,productLine,amount,currency,expectedCloseDate,submittedAt,status\n',
    headers: { 'content-type': 'text/csv' },
  }),
  'GET /api/registrations/export': () => ({ method: 'GET', path: '/api/registrations/export' }),
  'GET /api/email-actions/{token}': () => ({ method: 'GET', path: `/api/email-actions/${fixtures.emailActionToken}` }),
  'POST /api/email-actions/{token}': () => ({
    method: 'POST',
    path: `/api/email-actions/${fixtures.emailActionToken}`,
    body: {},
  }),
  'GET /api/reports/revenue': () => ({ method: 'GET', path: '/api/reports/revenue' }),
  'GET /api/reports/revenue/export': () => ({ method: 'GET', path: '/api/reports/revenue/export' }),
  'POST /api/webhooks': () => ({
    method: 'POST',
    path: '/api/webhooks',
    body: { url: WEBHOOK_URL, events: ['registration.*'] },
  }),
  'GET /api/webhooks': () => ({ method: 'GET', path: '/api/webhooks' }),
  'GET /api/webhooks/{id}': () => ({ method: 'GET', path: `/api/webhooks/${fixtures.webhookId}` }),
  'DELETE /api/webhooks/{id}': () => ({ method: 'DELETE', path: `/api/webhooks/${fixtures.webhookToDelete}` }),
  'POST /api/webhooks/{id}/enable': () => ({ method: 'POST', path: `/api/webhooks/${fixtures.webhookId}/enable` }),
  'POST /api/webhooks/{id}/rotate-secret': () => ({
    method: 'POST',
    path: `/api/webhooks/${fixtures.webhookId}/rotate-secret`,
  }),
  'GET /api/webhooks/{id}/deliveries': () => ({
    method: 'GET',
    path: `/api/webhooks/${fixtures.webhookId}/deliveries`,
  }),
  'GET /api/webhooks/{id}/deliveries/{deliveryId}': () => ({
    method: 'GET',
    path: `/api/webhooks/${fixtures.webhookId}/deliveries/${fixtures.deliveryId}`,
  }),
  'POST /api/webhooks/{id}/deliveries/{deliveryId}/replay': () => ({
    method: 'POST',
    path: `/api/webhooks/${fixtures.webhookId}/deliveries/${fixtures.deliveryId}/replay`,
  }),
  'GET /api/openapi.json': () => ({ method: 'GET', path: '/api/openapi.json' }),
  'GET /healthz': () => ({ method: 'GET', path: '/healthz' }),
  'GET /readyz': () => ({ method: 'GET', path: '/readyz' }),
  'GET /metrics': () => ({ method: 'GET', path: '/metrics' }),
};

beforeAll(async () => {
  stack = await startTestStack();
  fixtures = await createFixtures();
}, 240_000);

afterAll(async () => {
  await stack?.close();
});

it('has the columns the test knows', () => {
  expect(matrix.header).toEqual(['endpoint', ...COLUMNS]);
  for (const row of matrix.rows) expect(Object.values(row.expected)).not.toContain(NaN);
});

it('has a row for every operation of the OpenAPI document, and a request for every row', async () => {
  const document = await stack.api.call('GET', '/api/openapi.json');
  const operations = Object.entries(document.body.paths as Record<string, object>).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
  );
  const rows = matrix.rows.map((row) => row.endpoint);
  expect(operations.filter((operation) => !rows.includes(operation))).toEqual([]);
  expect(rows.filter((row) => !Object.hasOwn(REQUESTS, row))).toEqual([]);
  expect(new Set(rows).size).toBe(rows.length);
});

it('lets a service API key act with the role of its grant, as the README says', async () => {
  const keyFor = async (grant: Record<string, string>) =>
    (await stack.api.call('POST', '/api/api-keys', { token: 'dev-admin', body: { name: 'matrix-key', grant } })).body
      .key as string;
  const ops = await keyFor({ role: 'ops' });
  const northwind = await keyFor({ role: 'partner', partnerId: 'northwind' });
  const fabrikam = await keyFor({ role: 'partner', partnerId: 'fabrikam' });
  const status = async (token: string, method: string, path: string) =>
    (await stack.api.call(method, path, { token })).status;
  expect(await status(ops, 'GET', '/api/metrics')).toBe(200);
  expect(await status(ops, 'GET', '/api/api-keys')).toBe(403);
  expect(await status(northwind, 'GET', `/api/registrations/${fixtures.ownApproved}`)).toBe(200);
  expect(await status(fabrikam, 'GET', `/api/registrations/${fixtures.ownApproved}`)).toBe(404);
});

describe.each(matrix.rows)('$endpoint', (row) => {
  it('answers each caller as the README says', async () => {
    const plan = REQUESTS[row.endpoint];
    if (!plan) throw new Error(`no request for ${row.endpoint}`);
    const actual: Partial<Record<Column, number>> = {};
    // In the table's order: the refusals first, so that the successful calls find their object unchanged.
    for (const column of COLUMNS) {
      const { method, path, body, rawBody, headers, stream } = plan(column);
      const response = stream
        ? await statusOfStream(path, TOKENS[column])
        : await stack.api.call(method, path, { token: TOKENS[column], body, rawBody, headers });
      actual[column] = response.status;
      if (response.status >= 400) {
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      }
    }
    expect(actual).toEqual(row.expected);
  });
});

/** The status and headers of an event stream's answer; the stream itself is closed at once. */
async function statusOfStream(path: string, token: string | undefined) {
  const abort = new AbortController();
  const response = await fetch(`${stack.api.baseUrl}${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal: abort.signal,
  });
  abort.abort();
  return response;
}

/** Northwind's objects in each state a successful call needs; a case with contoso; drafts; a rollout. */
async function createFixtures(): Promise<Fixtures> {
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const response = await stack.api.call(method, path, { token, body });
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${response.text}`);
    return response.body as Record<string, unknown>;
  };
  const register = async (token: string, domain: string, productLine: string, value?: number) =>
    (await call('POST', '/api/registrations', token, aRegistration(domain, productLine, value))) as {
      id: string;
      status: string;
      conflictId?: string;
    };
  // The first decision normally comes with the 201; on a loaded machine it may come a little later.
  const settled = (id: string, accept: (view: { status: string; conflictId?: string }) => boolean) =>
    eventually(
      () => stack.api.call('GET', `/api/registrations/${id}`, { token: 'dev-admin' }),
      (r) => r.status === 200 && accept(r.body),
      { timeoutMs: 60_000 },
    ).then((r) => r.body as { id: string; status: string; conflictId?: string });
  const approved = async (domain: string) => {
    const registration = await register('dev-partner-northwind', domain, 'analytics');
    return (await settled(registration.id, (v) => v.status === 'approved')).id;
  };
  /** Northwind holds the claim, contoso's later claim opens the case. */
  const conflictCase = async (domain: string) => {
    const held = await settled((await register('dev-partner-northwind', domain, 'analytics')).id, () => true);
    const newcomer = await register('dev-partner-contoso', domain, 'analytics');
    const contested = await settled(newcomer.id, (v) => v.status === 'in_conflict' && v.conflictId !== undefined);
    const id = contested.conflictId!;
    await eventually(
      () => stack.api.call('GET', `/api/conflicts/${id}`, { token: 'dev-cm-emea' }),
      (r) => r.status === 200,
      { timeoutMs: 60_000 },
    );
    return { id, held: held.id, contested: contested.id };
  };
  /** An enterprise account over the auto-approval amount waits on the channel manager. */
  const underReview = async (productLine: string) => {
    const registration = await register('dev-partner-northwind', 'globex.example', productLine, 90_000);
    return (await settled(registration.id, (v) => v.status === 'pending_review')).id;
  };

  policyDocument = (await call('GET', '/api/policies/1', 'dev-admin')).document;
  const draft = (await call('POST', '/api/policies', 'dev-admin', policyDocument)).version as number;
  const draftToPublish = (await call('POST', '/api/policies', 'dev-admin', policyDocument)).version as number;
  const draftToRollOut = (await call('POST', '/api/policies', 'dev-admin', policyDocument)).version as number;
  const scheduled = (await call('POST', '/api/policies', 'dev-admin', policyDocument)).version as number;
  await call('POST', `/api/policies/${scheduled}/publish`, 'dev-admin', {});

  const infoRequested = await underReview('info');
  await call('POST', `/api/registrations/${infoRequested}/decision`, 'dev-cm-emea', {
    outcome: 'request_info',
    ...reason,
  });
  const lostCase = await conflictCase('lost-case-matrix.example');
  await call('POST', `/api/conflicts/${lostCase.id}/resolution`, 'dev-cm-emea', {
    award: lostCase.contested,
    ...reason,
  });
  const decidedCase = await conflictCase('decided-case-matrix.example');
  await call('POST', `/api/conflicts/${decidedCase.id}/resolution`, 'dev-cm-emea', {
    award: decidedCase.held,
    ...reason,
  });
  await eventually(
    () => stack.api.call('GET', `/api/conflicts/${decidedCase.id}`, { token: 'dev-cm-emea' }),
    (r) => r.body.status === 'resolved',
    { timeoutMs: 60_000 },
  );
  const rollout = await call('POST', '/api/rollouts', 'dev-admin', {
    policyVersion: draft,
    sponsor: { name: 'Sam Sponsor', email: 'sam@vendor.example' },
  });
  await eventually(
    () => stack.api.call('GET', `/api/rollouts/${String(rollout.id)}`, { token: 'dev-admin' }),
    (r) => r.status === 200 && r.body.currentStage === 'align',
    { timeoutMs: 60_000 },
  );
  const apiKey = await call('POST', '/api/api-keys', 'dev-admin', { name: 'to-revoke', grant: { role: 'ops' } });
  const emailAction = await actionLink(stack.db.store, 'http://roe.test', {
    emailKey: 'authorization-matrix',
    action: 'acknowledge',
    subject: { kind: 'policy', id: '1' },
    recipient: 'partner:contoso',
    stateKey: policyStateKey(1),
  });
  const webhook = await call('POST', '/api/webhooks', 'dev-admin', { url: WEBHOOK_URL, events: ['*'] });
  const webhookToDelete = await call('POST', '/api/webhooks', 'dev-admin', { url: WEBHOOK_URL, events: ['*'] });
  // No dispatcher runs beside this stack: the delivery is written as the dispatcher writes one.
  const deliveryId = deliveryIdOf(webhook.id as string, { txid: '1', seq: '1' });
  await stack.db.store.webhooks.addDelivery(deliveryId, webhook.id as string, {
    id: 'evt_1',
    type: 'policy.effective',
    at: new Date().toISOString(),
    subject: { kind: 'policy', id: '1' },
    data: {},
  });
  return {
    draft,
    draftToPublish,
    draftToRollOut,
    scheduled,
    ownApproved: await approved('approved-matrix.example'),
    ownToClose: await approved('to-close-matrix.example'),
    closedByManager: await approved('closed-by-manager-matrix.example'),
    ownToWithdraw: await approved('to-withdraw-matrix.example'),
    underReview: await underReview('review'),
    infoRequested,
    openCase: (await conflictCase('open-case-matrix.example')).id,
    lostCase: lostCase.id,
    decidedCase: decidedCase.id,
    rollout: rollout.id as string,
    rolloutWorkflowId: rollout.workflowId as string,
    apiKeyId: apiKey.id as string,
    emailActionToken: emailAction.split('/act/')[1],
    webhookId: webhook.id as string,
    webhookToDelete: webhookToDelete.id as string,
    deliveryId,
  };
}
