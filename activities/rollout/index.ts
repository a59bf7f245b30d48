import type { Client } from '@temporalio/client';
import { durationToMillis, parseDuration } from '../../src/domain/duration';
import { runPlaybook } from '../../src/domain/rules';
import { maturityScorecard } from '../../src/domain/maturity';
import type { Mailer } from '../../src/notify/mailer';
import { defineTemplate } from '../../src/notify/templates';
import type { Store } from '../../src/store';
import { SEARCH_ATTRIBUTE_NAMES } from '../../workflows/shared/contract';
import {
  POLICY_CHANGE_WORKFLOW_TYPE,
  type PolicyChangeWorkflow,
  policyChangeWorkflowId,
} from '../../workflows/policyChange/contract';
import { handOverSignal } from '../../workflows/rollout/contract';
import { rolloutWorkflowId, type ReviewReport, type RolloutView } from '../../workflows/rollout/contract';
import { recordingOf, type Transition } from '../shared/transitions';

export type RolloutTransition = Transition<RolloutView>;

const recordRollout = recordingOf<RolloutView>({
  subject: 'rollout',
  save: (store, view, seq) => store.rollouts.save(view, seq),
  at: (view) => view.history[view.history.length - 1]?.at ?? new Date().toISOString(),
});

const rolloutNotice = defineTemplate<{ subject: string; lines: string[]; url: string }>({
  subject: (d) => d.subject,
  paragraphs: (d) => d.lines,
  action: (d) => ({ label: 'Open the rollout', url: d.url }),
});

export function rolloutActivities(deps: {
  store: Store;
  mailer: Mailer;
  temporal: Client;
  taskQueue: string;
  publicUrl: string;
}) {
  const { store } = deps;
  return {
    async recordRolloutTransition(transition: RolloutTransition): Promise<void> {
      await recordRollout(store, transition);
    },

    async sendRolloutEmail(email: { key: string; to: string[]; subject: string; lines: string[] }): Promise<string> {
      const rolloutId = email.key.split('/')[0].replace(/^rollout-/, '');
      const rendered = rolloutNotice({
        subject: email.subject,
        lines: email.lines,
        url: `${deps.publicUrl}/api/rollouts/${rolloutId}`,
      });
      return (await deps.mailer.send({ key: email.key, to: [...new Set(email.to)], ...rendered })).messageId;
    },

    /** Enable publishes the version with its notice period, as POST /publish does (idempotent). */
    /**
     * Publishes the version (its notice period starts now) and starts its policy change. An
     * activity on purpose: the change is the version's own process, not the rollout's child (the
     * API's publish starts the same one), and a workflow can start only children.
     */
    async publishPolicyForRollout(version: number): Promise<string> {
      const policy = await store.policies.get(version);
      if (!policy) throw new Error(`policy version ${version} is missing`);
      if (policy.status === 'draft') {
        const now = new Date();
        const effectiveAt = new Date(now.getTime() + durationToMillis(parseDuration(policy.document.noticePeriod)!));
        await store.policies.schedule(version, now, effectiveAt);
      }
      const scheduled = await store.policies.get(version);
      if (scheduled?.status !== 'scheduled') return scheduled?.status ?? 'missing';
      await deps.temporal.workflow.start<PolicyChangeWorkflow>(POLICY_CHANGE_WORKFLOW_TYPE, {
        workflowId: policyChangeWorkflowId(version),
        taskQueue: deps.taskQueue,
        args: [
          {
            version,
            title: scheduled.title,
            publishedAt: scheduled.publishedAt!,
            effectiveAt: scheduled.effectiveAt!,
            noticePeriod: scheduled.document.noticePeriod,
          },
        ],
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
      return 'scheduled';
    },

    /** Document's completion freezes the draft: a later PUT is refused. */
    async freezePolicyDraft(version: number): Promise<void> {
      await store.db.query(`UPDATE policies SET frozen = true, updated_at = now() WHERE version = $1`, [version]);
    },

    async policyAdoption(
      version: number,
    ): Promise<{ acknowledgedShare: number; status: string; effectiveAt?: string }> {
      const policy = await store.policies.get(version);
      const acknowledged = (await store.policies.acknowledgedBy(version)).length;
      const partners = (await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM partners'))[0]?.n ?? 0;
      return {
        acknowledgedShare: partners === 0 ? 1 : acknowledged / partners,
        status: policy?.status ?? 'missing',
        ...(policy?.effectiveAt ? { effectiveAt: policy.effectiveAt } : {}),
      };
    },

    /**
     * Instrument's automatic checks: every playbook scenario through the real rules engine, email
     * delivery (the mailer's transport answers), and the search attributes (this rollout's own
     * workflow carries them, so ops queries will find every process).
     */
    async instrumentChecks(
      version: number,
      rolloutId: string,
    ): Promise<{ id: string; passed: boolean; detail: string }[]> {
      const policy = await store.policies.get(version);
      if (!policy) return [{ id: 'policy', passed: false, detail: `policy version ${version} is missing` }];
      const scenarios = runPlaybook(policy.document, version).map((result) => ({
        id: `playbook:${result.id}`,
        passed: result.passed,
        detail: result.detail,
      }));
      const email = await deps.mailer.verify().then(
        () => ({ id: 'email-delivery', passed: true, detail: 'the mail transport accepts messages' }),
        (error: Error) => ({
          id: 'email-delivery',
          passed: false,
          detail: `the mail transport fails: ${error.message}`,
        }),
      );
      const attributes = await deps.temporal.workflow
        .getHandle(rolloutWorkflowId(rolloutId))
        .describe()
        .then((description) => {
          const names = Object.keys(description.searchAttributes ?? {});
          const needed = [SEARCH_ATTRIBUTE_NAMES.status, SEARCH_ATTRIBUTE_NAMES.policyVersion];
          const missing = needed.filter((name) => !names.includes(name));
          return missing.length === 0
            ? { id: 'search-attributes', passed: true, detail: `${needed.join(', ')} are set and searchable` }
            : { id: 'search-attributes', passed: false, detail: `missing on the cluster: ${missing.join(', ')}` };
        })
        .catch((error: Error) => ({ id: 'search-attributes', passed: false, detail: error.message }));
      return [...scenarios, email, attributes];
    },

    /** One review: the period's figures and the maturity scorecard, from the program's own data. */
    async reviewReport(version: number, from: string, to: string): Promise<ReviewReport> {
      const metrics = await store.metrics.programFigures();
      const facts = await store.metrics.maturityFacts(new Date(from), new Date(to), version);
      return {
        at: new Date().toISOString(),
        period: { from, to },
        metrics: { ...metrics },
        maturity: maturityScorecard(facts),
      };
    },

    /** A later version's rollout reached Enable: the earlier rollouts still reviewing hand over. */
    /** The rollouts of earlier versions still in review, which a later one's Enable hands over. */
    async rolloutsInReviewBefore(version: number): Promise<string[]> {
      return store.rollouts.inReviewBefore(version);
    },

    /** Before patch hand-over-signalled-by-workflow: finds and signals them (running rollouts still call it). */
    async handOverEarlierRollouts(rolloutId: string, version: number): Promise<string[]> {
      const earlier = await store.rollouts.inReviewBefore(version);
      for (const id of earlier) {
        await deps.temporal.workflow
          .getHandle(rolloutWorkflowId(id))
          .signal(handOverSignal, { byRollout: rolloutId, policyVersion: version });
      }
      return earlier;
    },
  };
}

export type RolloutActivities = ReturnType<typeof rolloutActivities>;
