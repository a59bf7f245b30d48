import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// The dev server of a data directory is recorded beside its database, so that a start after the
// starting process was killed with SIGKILL (its child left running, holding the port and the
// database) finds that orphan and stops it instead of racing it.

interface DevServerRecord {
  pid: number;
  ownerPid: number;
}

const recordFileOf = (dbFilename: string) => join(dirname(dbFilename), 'dev-server.pid');

export function recordDevServer(dbFilename: string, pid: number): void {
  const record: DevServerRecord = { pid, ownerPid: process.pid };
  writeFileSync(recordFileOf(dbFilename), `${JSON.stringify(record)}\n`);
}

export function forgetDevServer(dbFilename: string): void {
  rmSync(recordFileOf(dbFilename), { force: true });
}

/** Stops a dev server on `dbFilename` whose owner is gone; refuses while its owner still runs. */
export async function stopOrphanedDevServer(dbFilename: string, progress: (message: string) => void): Promise<void> {
  let record: DevServerRecord;
  try {
    record = JSON.parse(readFileSync(recordFileOf(dbFilename), 'utf8')) as DevServerRecord;
  } catch {
    return;
  }
  // The pid must still be that dev server: after a reboot it may be any other program.
  if (!commandOf(record.pid)?.includes(dbFilename)) return forgetDevServer(dbFilename);
  if (record.ownerPid !== process.pid && commandOf(record.ownerPid) !== undefined) {
    throw new Error(
      `the Temporal dev server of ${dirname(dbFilename)} (pid ${record.pid}) belongs to a running process (pid ${record.ownerPid}); stop that one first`,
    );
  }
  progress(`stopping the Temporal dev server (pid ${record.pid}) left running by a process that was killed`);
  await stopProcess(record.pid);
  forgetDevServer(dbFilename);
}

function commandOf(pid: number): string | undefined {
  try {
    const command = execFileSync('ps', ['-ww', '-p', String(pid), '-o', 'command='], { encoding: 'utf8' }).trim();
    return command || undefined;
  } catch {
    return undefined; // ps exits 1 when there is no such process
  }
}

/** SIGTERM (the dev server closes its database cleanly), then SIGKILL after the grace period. */
async function stopProcess(pid: number, graceMs = 5_000): Promise<void> {
  const signal = (name: NodeJS.Signals | 0) => {
    try {
      process.kill(pid, name);
      return true;
    } catch {
      return false; // already gone
    }
  };
  if (!signal('SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!signal(0)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  signal('SIGKILL');
}
