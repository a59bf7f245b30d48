// The bundle entry of the worker: every RoE workflow is exported from here.
export { accountClaims } from './accountClaims/workflow';
export { registration } from './registration/workflow';
export { conflictCase } from './conflict/workflow';
export { policyChange } from './policyChange/workflow';
export { rollout } from './rollout/workflow';
export { managerDigest } from './managerDigest/workflow';
export { webhookDeliveries } from './webhookDelivery/workflow';
