import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedStartIn, startProcess, type RunningProcess } from '../helpers/processes';
import { readmeExamples, type ReadmeExamples } from '../helpers/readmeExamples';

// The README's examples, as a new user runs them: every shell block that talks to `$API`, in
// order, in one shell, against a fresh `npm start`. A request answering anything but 2xx fails
// the test unless the README announces that status in the comment just above it ("(→ 400)").
jest.setTimeout(240_000);

const README = join(__dirname, '..', '..', 'README.md');
/** The one change to the README's text: the port of this test's `npm start`. */
const README_API = 'API=http://localhost:3000';

let started: RunningProcess;
let dataDir: string;
let apiPort: number;
let examples: ReadmeExamples;

beforeAll(async () => {
  examples = readmeExamples(readFileSync(README, 'utf8'));
  const embedded = await embeddedStartIn('roe-readme-');
  dataDir = embedded.dataDir;
  apiPort = embedded.ports.api;
  // As the README's webhook example says to start it: its receiver is on this machine.
  started = startProcess('npm', ['start'], { ...embedded.env, ROE_WEBHOOK_ALLOWED_TARGETS: '127.0.0.1:4000' });
  await started.waitForOutput('is ready');
});

afterAll(async () => {
  await started?.stop('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

it('has examples for every process the README explains', () => {
  const paths = examples.requests.map((r) => r.command);
  for (const path of ['/api/policies', '/api/registrations', '/api/conflicts', '/api/rollouts', '/api/inbox']) {
    expect(paths.some((command) => command.includes(path))).toBe(true);
  }
  expect(examples.script).toContain(README_API);
});

it('runs every example as written, each request answered as the README says', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'roe-readme-shell-'));
  try {
    // Each request's status goes to stderr beside what the examples print there themselves.
    const shim = `curl() { command curl -w '%{stderr}\\nREADME-HTTP %{http_code} %{url_effective}\\n' "$@"; }\nset -e\n`;
    const script = shim + examples.script.replace(README_API, `API=http://localhost:${apiPort}`);
    const run = spawnSync('bash', ['-c', script], { cwd: workDir, encoding: 'utf8', timeout: 120_000 });
    const answers = [...run.stderr.matchAll(/^README-HTTP (\d{3}) (\S+)$/gm)].map((m) => ({
      status: Number(m[1]),
      url: m[2],
    }));

    expect({ exit: run.status, stderrTail: run.status === 0 ? '' : run.stderr.slice(-2000) }).toEqual({
      exit: 0,
      stderrTail: '',
    });
    expect(answers).toHaveLength(examples.requests.length);
    const unexpected = answers
      .map((answer, i) => ({ ...answer, announced: examples.requests[i].announcedStatus }))
      .filter(({ status, announced }) =>
        announced === undefined ? status < 200 || status > 299 : status !== announced,
      );
    expect(unexpected).toEqual([]);
    // The announced refusals really happened: the README does not announce what never occurs.
    expect(answers.filter((a) => a.status >= 400).length).toBe(
      examples.requests.filter((r) => r.announcedStatus !== undefined).length,
    );
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
});
