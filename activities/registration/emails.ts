import type { EscalationRole } from '../../src/domain/directory';
import type { Mailer } from '../../src/notify/mailer';
import type { ManagerMailer } from '../managerDigest/index';
import { REGISTRATION_EMAILS, type RegistrationEmailName } from '../../src/notify/registrationEmails';
import type { Store } from '../../src/store';
import type { RegistrationView } from '../../workflows/registration/contract';

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
      const rendered = REGISTRATION_EMAILS[email.template]({
        view: email.view,
        publicUrl: deps.publicUrl,
        note: email.note,
      });
      if ('role' in email.to) {
        const link = `${deps.publicUrl}/api/registrations/${encodeURIComponent(email.view.id)}`;
        return deps.toManagers({ key: email.key, to, ...rendered, link });
      }
      return (await deps.mailer.send({ key: email.key, to, ...rendered })).messageId;
    },
  };
}
