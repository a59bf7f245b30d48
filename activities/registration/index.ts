import type { ActivityDeps } from '../shared/deps';
import type { ManagerMailer } from '../managerDigest';
import { claimActivities } from './claims';
import { registrationConflictActivities } from './conflicts';
import { registrationEmailActivities } from './emails';
import { registrationTransitionActivities } from './transitions';

export type { Recipients, RegistrationEmail } from './emails';
export type { RegistrationTransition } from './transitions';
export type { OpenConflictRequest } from './conflicts';

/** Every activity the registration workflow runs, and nothing another process runs. */
export function registrationActivities(deps: ActivityDeps & { toManagers: ManagerMailer }) {
  return {
    ...registrationTransitionActivities(deps),
    ...registrationEmailActivities(deps),
    ...claimActivities(deps),
    ...registrationConflictActivities(deps),
  };
}

export type RegistrationActivities = ReturnType<typeof registrationActivities>;
