import { readFileSync } from 'node:fs';
import * as workflows from '../../workflows';
import { ACCOUNT_CLAIMS_WORKFLOW_TYPE } from '../../workflows/accountClaims/contract';
import { CONFLICT_WORKFLOW_TYPE } from '../../workflows/conflict/contract';
import { MANAGER_DIGEST_WORKFLOW_TYPE } from '../../workflows/managerDigest/contract';
import { POLICY_CHANGE_WORKFLOW_TYPE } from '../../workflows/policyChange/contract';
import { REGISTRATION_WORKFLOW_TYPE } from '../../workflows/registration/contract';
import { ROLLOUT_WORKFLOW_TYPE } from '../../workflows/rollout/contract';
import { WEBHOOK_DELIVERY_WORKFLOW_TYPE } from '../../workflows/webhookDelivery/contract';
import { currentWorkflowBundle } from '../../src/temporal/workflowBundle';

// The bundle every worker loads (built once per run by test/globalSetup.js, as `npm run build` does).

const bundle = readFileSync(currentWorkflowBundle(), 'utf8');
/** The source modules webpack put in the bundle, by their paths. */
const modules = [...bundle.matchAll(/^\/\*\*\*\/ "([^"]+)"/gm)].map((match) => match[1]);

it('holds every workflow whose type a contract names, under that name', () => {
  const types = [
    ACCOUNT_CLAIMS_WORKFLOW_TYPE,
    REGISTRATION_WORKFLOW_TYPE,
    CONFLICT_WORKFLOW_TYPE,
    POLICY_CHANGE_WORKFLOW_TYPE,
    ROLLOUT_WORKFLOW_TYPE,
    MANAGER_DIGEST_WORKFLOW_TYPE,
    WEBHOOK_DELIVERY_WORKFLOW_TYPE,
  ];
  expect(Object.keys(workflows).sort()).toEqual([...types].sort());
  for (const type of types) expect(typeof (workflows as Record<string, unknown>)[type]).toBe('function');
});

it('carries no schemas: zod and the API never reach the workflow code', () => {
  expect(modules.some((path) => path.includes('/workflows/registration/workflow.ts'))).toBe(true);
  expect(modules.filter((path) => /node_modules\/zod\//.test(path))).toEqual([]);
  expect(modules.filter((path) => /^\.\/(src\/(?!domain\/)|activities\/)/.test(path))).toEqual([]);
  expect(modules.filter((path) => path.startsWith('./src/domain/schemas/'))).toEqual([]);
});
