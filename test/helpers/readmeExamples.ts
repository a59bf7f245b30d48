/** One `curl` request of the README's examples, and the status the README says it answers. */
export interface ReadmeRequest {
  command: string;
  /** A non-2xx status the comment just above the request announces, as "(→ 400)". */
  announcedStatus?: number;
}

export interface ReadmeExamples {
  /** The example blocks joined in order: what a user pastes into one shell. */
  script: string;
  requests: ReadmeRequest[];
}

/**
 * The README's examples: every ```bash block that talks to the API (`$API`), in order. Blocks
 * without it (install, test, production, bench) are commands for the reader's own shell.
 */
export function readmeExamples(readme: string): ReadmeExamples {
  const blocks = [...readme.matchAll(/^```bash\n([\s\S]*?)^```$/gm)].map((m) => m[1]).filter((b) => b.includes('$API'));
  const requests: ReadmeRequest[] = [];
  for (const block of blocks) {
    let announced: number | undefined;
    for (const line of block.split('\n')) {
      const trimmed = line.trim();
      if (trimmed.startsWith('#')) {
        const status = /\(→ (\d{3})\)/.exec(trimmed)?.[1];
        announced = status ? Number(status) : undefined;
        continue;
      }
      // Each request is one `curl` call, wherever it stands in the line (`X=$(curl … | keep id)`).
      const calls = trimmed.match(/(?:^|[\s($])curl\s/g)?.length ?? 0;
      for (let i = 0; i < calls; i++) {
        requests.push({ command: trimmed, ...(announced === undefined ? {} : { announcedStatus: announced }) });
        announced = undefined;
      }
      if (trimmed === '') announced = undefined;
    }
  }
  return { script: blocks.join('\n'), requests };
}
