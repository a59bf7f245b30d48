import { defineTemplate, type RenderedEmail } from './templates';

export interface PolicyEmailData {
  version: number;
  title: string;
  effectiveAt: string;
  /** The version in effect when the notice went out, for the diff link. */
  previousVersion?: number;
  cancelReason?: string;
  publicUrl: string;
  /** The partner's one-click acknowledgement (notice and reminder). */
  acknowledgeUrl?: string;
}

const day = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
const versionLink = (d: PolicyEmailData) => ({
  label: `Read policy version ${d.version}`,
  url: `${d.publicUrl}/api/policies/${d.version}`,
});
/** Acknowledging: one click on the link (a page asks to confirm), or the API. */
const acknowledgeLines = (d: PolicyEmailData) =>
  d.acknowledgeUrl
    ? [
        `Acknowledge it: ${d.acknowledgeUrl} (a page in RoE Orchestrator asks you to confirm; the link works once and expires in 72 hours), or POST /api/policies/${d.version}/acknowledgements.`,
      ]
    : [`Please acknowledge it: POST /api/policies/${d.version}/acknowledgements.`];

const diffLine = (d: PolicyEmailData) =>
  d.previousVersion
    ? [`What changes, rule by rule: ${d.publicUrl}/api/policies/${d.previousVersion}/diff/${d.version}`]
    : [];

export const POLICY_EMAILS = {
  notice: defineTemplate<PolicyEmailData>({
    subject: (d) => `New rules of engagement: "${d.title}" (version ${d.version}) from ${day(d.effectiveAt)}`,
    paragraphs: (d) => [
      `Policy version ${d.version}, "${d.title}", takes effect on ${day(d.effectiveAt)}.`,
      ...diffLine(d),
      'Registrations made before that instant keep the rules they were made under (validity, extensions, review and conflict terms); only registrations from then on use the new version.',
      ...acknowledgeLines(d),
    ],
    action: versionLink,
  }),
  reminder: defineTemplate<PolicyEmailData>({
    subject: (d) => `Reminder: please acknowledge policy version ${d.version} before ${day(d.effectiveAt)}`,
    paragraphs: (d) => [
      `Policy version ${d.version}, "${d.title}", takes effect on ${day(d.effectiveAt)} and we have no acknowledgement from you yet.`,
      ...diffLine(d),
      ...acknowledgeLines(d),
    ],
    action: versionLink,
  }),
  effective: defineTemplate<PolicyEmailData>({
    subject: (d) => `Policy version ${d.version} is now in effect`,
    paragraphs: (d) => [
      `"${d.title}" (version ${d.version}) governs every registration made from ${day(d.effectiveAt)}.`,
      'Registrations made earlier keep the version they were made under.',
    ],
    action: versionLink,
  }),
  cancelled: defineTemplate<PolicyEmailData>({
    subject: (d) => `Policy version ${d.version} is cancelled`,
    paragraphs: (d) => [
      `The change announced for ${day(d.effectiveAt)} ("${d.title}", version ${d.version}) will not take effect: ${d.cancelReason ?? ''}`,
      'The rules in effect today stay in effect.',
    ],
    action: versionLink,
  }),
} satisfies Record<string, (data: PolicyEmailData) => RenderedEmail>;

export type PolicyEmailName = keyof typeof POLICY_EMAILS;
