import { defineTemplate } from './templates';

/** A manager's digest: every update held back within one window, each as its own email would have been. */
export interface ManagerDigestData {
  items: { subject: string; link: string }[];
  publicUrl: string;
}

const updates = (n: number) => (n === 1 ? '1 update' : `${n} updates`);

export const managerDigestEmail = defineTemplate<ManagerDigestData>({
  subject: (d) => `RoE: ${updates(d.items.length)} for you`,
  paragraphs: (d) => [
    `${updates(d.items.length)} came in since the last email RoE sent you; each is listed once, oldest first.`,
    ...d.items.map((item, i) => `${i + 1}. ${item.subject}\n${item.link}`),
  ],
  action: (d) => ({ label: 'Open your inbox', url: `${d.publicUrl}/api/inbox` }),
});
