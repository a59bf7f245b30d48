import type { EscalationRole } from '../../src/domain/directory';
import type { Mailer } from '../../src/notify/mailer';
import { recipientKeyOf, type ManagerMailer } from '../managerDigest/index';
import { actionLink, reviewStateKey } from '../../src/emailActions/links';
import { REGISTRATION_EMAILS, type RegistrationEmailName } from '../../src/notify/registrationEmails';
import type { Store } from '../../src/store';
import type { RegistrationView } from '../../workflows/registration/contract';

/** The reviewer emails that carry one-click decisions. */
const ASKS_FOR_A_DECISION = new Set<RegistrationEmailName>(['reviewAssigned', 'reviewReminder']);
const REVIEW_ACTIONS = [
  ['approve', 'Approve'],
  ['reject', 'Reject'],
  ['request_info', 'Request info'],
] as const;

/** Who receives an email: a partner's contacts, or the people holding a role in a region. */
export type Recipients = { partnerId: string } | { role: EscalationRole; region: string };

export interface RegistrationEmail {
  /** Workflow id + purpose: the Message-ID, so a retried send is the same message. */
  key: string;
  template: RegistrationEmailName;
  to: Recipients;
  view: RegistrationView;
  note?: string;
}

export function registrationEmailActivities(deps: {
  store: Store;
  mailer: Mailer;
  publicUrl: string;
  toManagers: ManagerMailer;
  emailActionTtlMs?: number;
}) {
  async function addressesOf(to: Recipients): Promise<string[]> {
    if ('partnerId' in to)
      return (await deps.store.directory.getPartner(to.partnerId))?.contacts.map((c) => c.email) ?? [];
    return (await deps.store.directory.peopleWithRole(to.role, to.region)).map((p) => p.email);
  }

  return {
    /** Renders and sends one email; returns its Message-ID, or why nothing was sent. */
    async sendRegistrationEmail(email: RegistrationEmail): Promise<string> {
      const to = await addressesOf(email.to);
      if (to.length === 0) return 'no recipients in the directory';
      const data = { view: email.view, publicUrl: deps.publicUrl, note: email.note };
      const rendered = REGISTRATION_EMAILS[email.template](data);
      if ('role' in email.to) {
        const link = `${deps.publicUrl}/api/registrations/${encodeURIComponent(email.view.id)}`;
        if (!ASKS_FOR_A_DECISION.has(email.template) || email.view.status !== 'pending_review') {
          return deps.toManagers({ key: email.key, to, ...rendered, link });
        }
        // Each reviewer gets links of their own: one email per reviewer (the key stays the email's
        // own when there is one reviewer, as before the links).
        const answers: string[] = [];
        for (const address of to) {
          const key = to.length === 1 ? email.key : `${email.key}/${recipientKeyOf(address)}`;
          const actions = [];
          for (const [action, label] of REVIEW_ACTIONS) {
            const url = await actionLink(deps.store, deps.publicUrl, {
              emailKey: key,
              action,
              subject: { kind: 'registration', id: email.view.id },
              recipient: address.toLowerCase(),
              stateKey: reviewStateKey(email.view),
              ttlMs: deps.emailActionTtlMs,
            });
            actions.push({ label, url });
          }
          const own = REGISTRATION_EMAILS[email.template]({ ...data, actions });
          answers.push(await deps.toManagers({ key, to: [address], ...own, link }));
        }
        return answers.join('; ');
      }
      return (await deps.mailer.send({ key: email.key, to, ...rendered })).messageId;
    },
  };
}
