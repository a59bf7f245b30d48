// The bundle entry of the worker: every RoE workflow is exported from here.
export { accountClaims } from './accountClaims';
export { registration } from './registration';
export { conflictCase } from './conflict';
export { policyChange } from './policyChange';
export { rollout } from './rollout';
