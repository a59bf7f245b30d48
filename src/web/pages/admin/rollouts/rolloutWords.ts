import type { ResponseOf } from '../../../api/types';

export type Rollout = ResponseOf<'/api/rollouts/{id}', 'get'>;
export type Stage = Rollout['stages'][number];

export const STAGE_TITLES: Record<Stage['name'], string> = {
  align: 'Align',
  design: 'Design',
  document: 'Document',
  enable: 'Enable',
  instrument: 'Instrument',
  review: 'Review',
};

export const decisionWords = { approve: 'approved', request_changes: 'requested changes' } as const;

/** "playbook:S9" → "playbook scenario S9"; other checks keep their id. */
export function checkName(id: string): string {
  const [kind, name] = id.split(':');
  return kind === 'playbook' && name ? `playbook scenario ${name}` : id.replace(/[:_-]/g, ' ');
}

/** A check's detail without the scenario id it repeats ("S9: expected rejected…" → "expected rejected…"). */
export function detailOf(check: { id: string; detail: string }): string {
  const name = check.id.split(':')[1];
  return name && check.detail.startsWith(`${name}: `) ? check.detail.slice(name.length + 2) : check.detail;
}

const ISO_INSTANT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g;

/** A history line with its instants in the viewer's time, not ISO 8601. */
export const inLocalTime = (text: string, local: (iso: string) => string): string =>
  text.replace(ISO_INSTANT, (iso) => local(iso));
