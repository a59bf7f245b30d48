import { setHandler, sleep } from '@temporalio/workflow';
import { managerDigestSteps } from './activities';
import {
  managerDigestStatusQuery,
  updateHeldSignal,
  type ManagerDigestInput,
  type ManagerDigestView,
} from './contract';

const { sendManagerDigest } = managerDigestSteps;

/** Waits for the end of one manager's window, then sends the digest of what came within it. */
export async function managerDigest(input: ManagerDigestInput): Promise<string> {
  const view: ManagerDigestView = { endsAt: input.endsAt, updates: [], sent: false };
  setHandler(updateHeldSignal, (emailKey) => {
    if (!view.updates.includes(emailKey)) view.updates.push(emailKey);
  });
  setHandler(managerDigestStatusQuery, () => view);
  const wait = Date.parse(input.endsAt) - Date.now();
  if (wait > 0) await sleep(wait);
  const result = await sendManagerDigest(input.recipientKey, input.window);
  view.sent = true;
  return result;
}
