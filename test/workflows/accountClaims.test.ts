import { randomBytes } from 'node:crypto';
import type { WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import {
  ACCOUNT_CLAIMS_WORKFLOW_TYPE,
  type AccountClaimsWorkflow,
  accountClaimsStatusQuery,
  accountClaimsWorkflowId,
  claimUpdate,
  releaseUpdate,
  type ClaimAnswer,
  type ClaimRequest,
  type ReleaseRequest,
} from '../../workflows/accountClaims/contract';
import { startTimeSkippingStack, type TimeSkippingStack } from '../helpers/timeSkipping';

// The account-claims workflow on its own: one per account key, claims arrive as updates and are
// answered in order, so exactly one registration holds an account and product line.

jest.setTimeout(90_000);

let stack: TimeSkippingStack;

beforeAll(async () => {
  stack = await startTimeSkippingStack();
}, 180_000);

afterAll(async () => {
  await stack?.close();
});

type ClaimsHandle = WorkflowHandle<AccountClaimsWorkflow>;

/** Starts the claims workflow of a fresh account, as the first claim's update-with-start would. */
async function anAccount(
  maxHistoryEvents?: number,
): Promise<{ accountKey: string; handle: WorkflowHandleWithFirstExecutionRunId<AccountClaimsWorkflow> }> {
  const accountKey = `acct-${randomBytes(5).toString('hex')}.example`;
  const handle = await stack.client.workflow.start<AccountClaimsWorkflow>(ACCOUNT_CLAIMS_WORKFLOW_TYPE, {
    workflowId: accountClaimsWorkflowId(accountKey),
    taskQueue: stack.taskQueue,
    args: [{ accountKey, ...(maxHistoryEvents ? { maxHistoryEvents } : {}) }],
  });
  return { accountKey, handle };
}

let submittedAt = Date.parse('2027-01-04T09:00:00Z');

/** A claim of registration `registrationId` by `partnerId`; each one submitted a minute after the last. */
function aClaim(registrationId: string, productLine = 'cloud', partnerId = 'northwind'): ClaimRequest {
  submittedAt += 60_000;
  return {
    registrationId,
    partnerId,
    productLine,
    submittedAt: new Date(submittedAt).toISOString(),
    namedDirect: false,
  };
}

const claim = (handle: ClaimsHandle, request: ClaimRequest) => handle.executeUpdate(claimUpdate, { args: [request] });

const release = (handle: ClaimsHandle, registrationId: string, productLine = 'cloud') => {
  const request: ReleaseRequest = { registrationId, productLine, reason: 'withdrawn' };
  return handle.executeUpdate(releaseUpdate, { args: [request] });
};

const lineOf = async (handle: ClaimsHandle, productLine: string) =>
  (await handle.query(accountClaimsStatusQuery)).lines.find((line) => line.productLine === productLine);

const grantedIn = (answers: ClaimAnswer[]) => answers.filter((answer) => answer.granted).length;

describe('claims on one account', () => {
  it('grants exactly one of many simultaneous claims on a product line; the others are in conflict with it', async () => {
    const { handle } = await anAccount();
    const requests = Array.from({ length: 10 }, (_, i) => aClaim(`reg-${i}`, 'cloud', `partner-${i}`));

    const answers = await Promise.all(requests.map((request) => claim(handle, request)));

    expect(grantedIn(answers)).toBe(1);
    const line = await lineOf(handle, 'cloud');
    const winner = requests[answers.findIndex((answer) => answer.granted)];
    expect(line?.holder).toMatchObject({ kind: 'partner', registrationId: winner.registrationId });
    expect(line?.contenders.map((c) => c.registrationId).sort()).toEqual(
      requests
        .map((r) => r.registrationId)
        .filter((id) => id !== winner.registrationId)
        .sort(),
    );
    for (const answer of answers.filter((a) => !a.granted)) {
      expect(answer).toEqual({ granted: false, holder: line!.holder });
    }
  });

  it('grants simultaneous claims on different product lines each to its own registration', async () => {
    const { handle } = await anAccount();
    const lines = ['cloud', 'analytics', 'security', 'storage', 'networking'];

    const answers = await Promise.all(lines.map((line, i) => claim(handle, aClaim(`reg-${i}`, line))));

    expect(answers).toEqual(lines.map(() => ({ granted: true })));
    const state = await handle.query(accountClaimsStatusQuery);
    expect(state.lines.map((line) => [line.productLine, line.holder?.registrationId]).sort()).toEqual(
      lines.map((line, i) => [line, `reg-${i}`]).sort(),
    );
  });

  it('answers a repeated claim of the same registration as it did the first time, without counting it twice', async () => {
    const { handle } = await anAccount();
    const holder = aClaim('reg-holder');
    const contender = aClaim('reg-contender', 'cloud', 'contoso');
    const first = [await claim(handle, holder), await claim(handle, contender)];

    const repeated = [await claim(handle, holder), await claim(handle, contender)];

    expect(repeated).toEqual(first);
    expect(first[0]).toEqual({ granted: true });
    expect(first[1]).toMatchObject({ granted: false, holder: { registrationId: 'reg-holder' } });
    expect((await lineOf(handle, 'cloud'))?.contenders.map((c) => c.registrationId)).toEqual(['reg-contender']);
  });

  it('frees the product line when its holder releases the claim, and the next claim is granted', async () => {
    const { handle } = await anAccount();
    await claim(handle, aClaim('reg-first'));
    await claim(handle, aClaim('reg-other-line', 'analytics'));

    const released = await release(handle, 'reg-first');

    expect(released).toEqual({ released: true });
    expect((await lineOf(handle, 'cloud'))?.holder).toBeUndefined();
    expect((await lineOf(handle, 'analytics'))?.holder?.registrationId).toBe('reg-other-line');
    expect(await release(handle, 'reg-first')).toEqual({ released: false });
    expect(await claim(handle, aClaim('reg-next', 'cloud', 'fabrikam'))).toEqual({ granted: true });
  });

  it('keeps a named direct account with the direct team: every partner claim is in conflict with it', async () => {
    const { handle } = await anAccount();

    const answer = await claim(handle, { ...aClaim('reg-direct'), namedDirect: true });

    expect(answer).toMatchObject({ granted: false, holder: { kind: 'direct' } });
    expect(await lineOf(handle, 'cloud')).toMatchObject({
      holder: { kind: 'direct' },
      contenders: [{ registrationId: 'reg-direct' }],
    });
  });

  it('refuses a claim without a registration id', async () => {
    const { handle } = await anAccount();

    await expect(claim(handle, { ...aClaim('reg-x'), registrationId: '' })).rejects.toMatchObject({
      cause: { type: 'InvalidClaim' },
    });
  });
});

describe('a long-lived account', () => {
  it('continues as new when its history grows past the threshold, and no claim is lost across the runs', async () => {
    const { handle } = await anAccount(20);
    const firstRunId = handle.firstExecutionRunId;
    // The expected state, kept beside the workflow: holder and contenders of each product line.
    const expected = new Map<string, { holder?: string; contenders: string[] }>();
    const lineModel = (line: string) => expected.get(line) ?? expected.set(line, { contenders: [] }).get(line)!;
    const requests = new Map<string, ClaimRequest>();
    const answers = new Map<string, ClaimAnswer>();

    for (let i = 0; i < 24; i++) {
      const line = ['cloud', 'analytics', 'security'][i % 3];
      const registrationId = `reg-${i}`;
      const request = aClaim(registrationId, line, `partner-${i % 5}`);
      const answer = await claim(handle, request);
      requests.set(registrationId, request);
      answers.set(registrationId, answer);
      const model = lineModel(line);
      if (model.holder === undefined) {
        expect(answer).toEqual({ granted: true });
        model.holder = registrationId;
      } else {
        expect(answer).toMatchObject({ granted: false, holder: { registrationId: model.holder } });
        model.contenders.push(registrationId);
      }
      if (i % 7 === 6) {
        // Now and then the holder of this line lets go (expiry, withdrawal, loss).
        expect(await release(handle, model.holder!, line)).toEqual({ released: true });
        model.holder = undefined;
      }
    }

    const latest = await stack.client.workflow.getHandle(handle.workflowId).describe();
    expect(latest.runId).not.toBe(firstRunId);
    expect(latest.status.name).toBe('RUNNING');
    const firstRun = await stack.client.workflow.getHandle(handle.workflowId, firstRunId).describe();
    expect(firstRun.status.name).toBe('CONTINUED_AS_NEW');
    const state = await handle.query(accountClaimsStatusQuery);
    expect(
      Object.fromEntries(
        state.lines.map((line) => [
          line.productLine,
          { holder: line.holder?.registrationId, contenders: line.contenders.map((c) => c.registrationId) },
        ]),
      ),
    ).toEqual(Object.fromEntries(expected));
    // A claim repeated after the roll-over gets the answer it got in an earlier run.
    const stillClaiming = [...expected.values()].flatMap((line) => [line.holder, ...line.contenders]);
    for (const registrationId of stillClaiming.filter((id): id is string => id !== undefined)) {
      expect(await claim(handle, requests.get(registrationId)!)).toEqual(answers.get(registrationId));
    }
  });

  it('keeps every claim of a burst that arrives while it continues as new', async () => {
    const { handle } = await anAccount(20);
    // Past the threshold first, so the burst meets the roll-over.
    for (let i = 0; i < 3; i++) await claim(handle, aClaim(`reg-before-${i}`, `line-before-${i}`));

    const burst = Array.from({ length: 40 }, (_, i) => aClaim(`reg-burst-${i}`, `line-${i % 20}`, `partner-${i}`));
    const answers = await Promise.all(burst.map((request) => claim(handle, request)));

    expect((await stack.client.workflow.getHandle(handle.workflowId).describe()).runId).not.toBe(
      handle.firstExecutionRunId,
    );
    expect(grantedIn(answers)).toBe(20);
    const state = await handle.query(accountClaimsStatusQuery);
    expect(state.lines).toHaveLength(23);
    const claimed = state.lines.flatMap((line) => [line.holder, ...line.contenders]).map((c) => c?.registrationId);
    expect(claimed.sort()).toEqual(
      [...burst.map((r) => r.registrationId), 'reg-before-0', 'reg-before-1', 'reg-before-2'].sort(),
    );
  });
});
