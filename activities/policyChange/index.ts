import type { Mailer } from '../../src/notify/mailer';
import { POLICY_EMAILS, type PolicyEmailName } from '../../src/notify/policyEmails';
import type { Store } from '../../src/store';
import { allOf, type Partner } from '../../src/store/directory';
import { writingToStore } from '../shared/storeRefusal';
import { actionLink, policyStateKey } from '../../src/emailActions/links';

export interface PolicyChangeEvent {
  version: number;
  seq: number;
  event: string;
  detail: string;
  actor: string;
  at: string;
}

export function policyChangeActivities(deps: {
  store: Store;
  mailer: Mailer;
  publicUrl: string;
  emailActionTtlMs?: number;
}) {
  const everyPartner = (): Promise<Partner[]> =>
    allOf((limit, cursor) => deps.store.directory.listPartners(limit, cursor));

  return {
    /** The store follows the change workflow: effective at its instant, or cancelled; one audit event each. */
    async recordPolicyChange(change: PolicyChangeEvent): Promise<void> {
      await writingToStore(deps.store, async (store) => {
        if (change.event === 'effective') await store.policies.makeEffective(change.version);
        if (change.event === 'cancelled')
          await store.policies.cancel(change.version, change.detail, new Date(change.at));
        await store.audit.append(`policy-${change.version}#${change.seq}`, {
          subject: `policy:${change.version}`,
          at: change.at,
          actor: change.actor,
          action: `policy.${change.event}`,
          detail: { detail: change.detail },
        });
      });
    },

    /** One email per partner contact; a reminder only to partners that have not acknowledged. */
    async sendPolicyNotices(version: number, kind: PolicyEmailName, keyBase: string): Promise<number> {
      const policy = await deps.store.policies.get(version);
      if (!policy?.effectiveAt) return 0;
      const acknowledged = new Set(kind === 'reminder' ? await deps.store.policies.acknowledgedBy(version) : []);
      const previous = await deps.store.policies.effectiveAt(new Date(Date.parse(policy.effectiveAt) - 1));
      const data = {
        version,
        title: policy.title,
        effectiveAt: policy.effectiveAt,
        ...(previous && previous.version !== version ? { previousVersion: previous.version } : {}),
        ...(policy.cancelReason ? { cancelReason: policy.cancelReason } : {}),
        publicUrl: deps.publicUrl,
      };
      let sent = 0;
      for (const partner of await everyPartner()) {
        if (acknowledged.has(partner.id) || partner.contacts.length === 0) continue;
        const key = `${keyBase}/${partner.id}`;
        // The notice goes to the partner's contacts together: the acknowledgement is the partner's.
        const acknowledgeUrl =
          kind === 'notice' || kind === 'reminder'
            ? await actionLink(deps.store, deps.publicUrl, {
                emailKey: key,
                action: 'acknowledge',
                subject: { kind: 'policy', id: String(version) },
                recipient: `partner:${partner.id}`,
                stateKey: policyStateKey(version),
                ttlMs: deps.emailActionTtlMs,
              })
            : undefined;
        await deps.mailer.send({
          key,
          to: partner.contacts.map((c) => c.email),
          ...POLICY_EMAILS[kind]({ ...data, ...(acknowledgeUrl ? { acknowledgeUrl } : {}) }),
        });
        sent += 1;
      }
      return sent;
    },
  };
}

export type PolicyChangeActivities = ReturnType<typeof policyChangeActivities>;
