import { ApplicationFailure } from '@temporalio/workflow';
import { rolloutSteps } from './activities';
import { durationToMillis, parseDuration } from '../../src/domain/duration';
import type { SignOffRequest } from './contract';
import { setProcessSearchAttributes } from '../shared/searchAttributes';
import { recordedUnlessRefused } from '../shared/storeRefusal';
import {
  ROLLOUT_STAGES,
  rolloutWorkflowId,
  type ReviewReport,
  type RolloutInput,
  type RolloutStageName,
  type RolloutView,
  type StagePlan,
  type StageView,
} from './contract';

const { recordRolloutTransition, sendRolloutEmail } = rolloutSteps;

/** The state of one rollout and every way it changes; each change is recorded and may be mailed. */
export class RolloutRecord {
  readonly view: RolloutView;
  seq = 0;
  readonly reminded = new Set<RolloutStageName>();
  readonly overdue = new Set<RolloutStageName>();
  private adoptionOk = false;
  private readonly pendingEmails: Promise<unknown>[] = [];

  constructor(readonly input: RolloutInput) {
    this.view = {
      id: input.rolloutId,
      workflowId: rolloutWorkflowId(input.rolloutId),
      policyVersion: input.policyVersion,
      status: 'active',
      currentStage: null,
      sponsor: input.sponsor,
      stages: ROLLOUT_STAGES.map((name) => stageOf(name, input.stages[name])),
      reviews: [],
      history: [],
    };
  }

  plan(stage: RolloutStageName): StagePlan {
    return this.input.stages[stage];
  }

  stage(stage: RolloutStageName): StageView {
    return this.view.stages.find((s) => s.name === stage)!;
  }

  current(): StageView | undefined {
    return this.view.currentStage ? this.stage(this.view.currentStage) : undefined;
  }

  async start(): Promise<void> {
    await this.note('started', `rollout of policy version ${this.input.policyVersion}`, 'system:rollout');
  }

  async openStage(name: RolloutStageName): Promise<void> {
    const stage = this.stage(name);
    const now = Date.now();
    stage.status = 'active';
    stage.openedAt = iso(now);
    stage.dueAt = iso(now + durationToMillis(parseDuration(this.plan(name).due)!));
    this.view.currentStage = name;
    if (name === 'review') this.view.status = 'in_review';
    await this.note('stage_opened', `${name} opened, due ${stage.dueAt}`, 'system:rollout');
    this.email(
      `opened:${name}`,
      [stage.owner.email],
      `Stage ${name} of the rollout of policy version ${this.input.policyVersion} is open`,
      [`You own the ${name} stage, due ${stage.dueAt}.`, `Tasks: ${stage.tasks.map((t) => t.title).join('; ')}.`],
    );
  }

  validateTask(taskId: string): void {
    const stage = this.view.stages.find((s) => s.tasks.some((t) => t.id === taskId));
    if (!stage)
      throw ApplicationFailure.create({
        type: 'NotFound',
        message: `no task ${taskId} in this rollout`,
        nonRetryable: true,
      });
    if (stage.status === 'pending' || stage.status === 'completed') {
      throw ApplicationFailure.create({
        type: 'InvalidState',
        message: `task ${taskId} belongs to stage ${stage.name}, which is ${stage.status}`,
        nonRetryable: true,
      });
    }
  }

  async completeTask(taskId: string, by: string): Promise<void> {
    const stage = this.view.stages.find((s) => s.tasks.some((t) => t.id === taskId))!;
    const task = stage.tasks.find((t) => t.id === taskId)!;
    if (task.done) return;
    task.done = true;
    await this.note('task_completed', `${stage.name}: ${task.title}`, by);
    await this.completeIfReady(stage.name);
  }

  async signOff(request: SignOffRequest): Promise<void> {
    const stage = this.stage(request.stage);
    stage.signOffs.push({
      by: request.by.personId ?? request.by.subject,
      decision: request.decision,
      comment: request.comment,
      at: iso(Date.now()),
    });
    if (request.decision === 'request_changes') {
      if (stage.status !== 'blocked') stage.status = 'changes_requested';
      await this.note('changes_requested', `${stage.name}: ${request.comment}`, request.by.subject);
      this.email(`changes:${stage.name}:${this.seq}`, [stage.owner.email], `Changes requested on stage ${stage.name}`, [
        request.comment,
      ]);
      return;
    }
    if (stage.status === 'changes_requested') stage.status = 'active';
    await this.note(
      'signed_off',
      `${stage.name} approved by ${request.by.personId ?? request.by.subject}`,
      request.by.subject,
    );
    await this.completeIfReady(stage.name);
  }

  /** Enable is signed off and its tasks are done, but partners have not acknowledged enough yet. */
  readyButWaitingForAdoption(stage: RolloutStageName): boolean {
    return stage === 'enable' && !this.adoptionOk && this.tasksDone(stage) && this.signedOff(stage);
  }

  async adoptionChecked(acknowledgedShare: number, policyStatus: string): Promise<void> {
    const ok =
      acknowledgedShare >= this.input.acknowledgementThreshold || ['effective', 'superseded'].includes(policyStatus);
    if (!ok || this.adoptionOk) return;
    this.adoptionOk = true;
    await this.note(
      'adoption_reached',
      `${Math.round(acknowledgedShare * 100)} % of partners acknowledged; version ${policyStatus}`,
      'system:rollout',
    );
    await this.completeIfReady('enable');
  }

  async recordChecks(checks: { id: string; passed: boolean; detail: string }[]): Promise<void> {
    const stage = this.stage('instrument');
    stage.checks = checks;
    const failed = checks.filter((c) => !c.passed);
    if (failed.length > 0) {
      stage.status = 'blocked';
      const detail = failed.map((c) => `${c.id}: ${c.detail}`).join('; ');
      await this.note('checks_failed', detail, 'system:checks');
      this.email(
        `blocked:${this.seq}`,
        [stage.owner.email, this.input.sponsor.email],
        'Instrument is blocked by failing checks',
        failed.map((c) => `${c.id}: ${c.detail}`),
      );
      return;
    }
    if (stage.status === 'blocked') stage.status = 'active';
    await this.note('checks_passed', `${checks.length} automatic checks passed`, 'system:checks');
    await this.completeIfReady('instrument');
  }

  async remindOwner(stage: RolloutStageName): Promise<void> {
    this.reminded.add(stage);
    const view = this.stage(stage);
    await this.note('stage_reminder', `${stage} is due ${view.dueAt}`, 'system:timer');
    this.email(`reminder:${stage}`, [view.owner.email], `Reminder: stage ${stage} is due ${view.dueAt}`, [
      `Open tasks: ${
        view.tasks
          .filter((t) => !t.done)
          .map((t) => t.title)
          .join('; ') || 'none'
      }.`,
    ]);
  }

  async escalateOverdue(stage: RolloutStageName): Promise<void> {
    this.overdue.add(stage);
    const view = this.stage(stage);
    await this.note('stage_overdue', `${stage} passed its due date ${view.dueAt}; the sponsor is told`, 'system:timer');
    this.email(
      `overdue:${stage}`,
      [this.input.sponsor.email, view.owner.email],
      `Overdue: stage ${stage} of the rollout of policy version ${this.input.policyVersion}`,
      [`Stage ${stage}, owned by ${view.owner.name}, was due ${view.dueAt} and is ${view.status}.`],
    );
  }

  async addReview(report: ReviewReport): Promise<void> {
    this.view.reviews.push(report);
    await this.note('review', `review of ${report.period.from} – ${report.period.to}`, 'system:review');
    const owners = [...new Set(this.view.stages.map((s) => s.owner.email))];
    this.email(
      `review:${this.view.reviews.length}`,
      [this.input.sponsor.email, ...owners],
      `RoE review of policy version ${this.input.policyVersion}`,
      [
        `Period ${report.period.from} – ${report.period.to}.`,
        `Metrics: ${JSON.stringify(report.metrics)}`,
        ...report.maturity.map((m) => `${m.dimension}: stage ${m.stage} — ${m.evidence}`),
      ],
    );
  }

  async finish(detail: string): Promise<void> {
    const review = this.stage('review');
    review.status = 'completed';
    review.completedAt = iso(Date.now());
    this.view.status = 'completed';
    this.view.currentStage = null;
    await this.note('completed', detail, 'system:rollout');
  }

  async emailsSent(): Promise<void> {
    await Promise.allSettled(this.pendingEmails);
  }

  private async completeIfReady(name: RolloutStageName): Promise<void> {
    const stage = this.stage(name);
    if (name === 'review' || stage.status === 'blocked' || stage.status === 'completed') return;
    if (!this.tasksDone(name) || !this.signedOff(name)) return;
    if (name === 'enable' && !this.adoptionOk) return;
    stage.status = 'completed';
    stage.completedAt = iso(Date.now());
    await this.note('stage_completed', `${name} completed`, 'system:rollout');
  }

  private tasksDone(name: RolloutStageName): boolean {
    return this.stage(name).tasks.every((t) => t.done);
  }

  /** Every named approver's latest word is approve; without named approvers, an admin's latest is. */
  private signedOff(name: RolloutStageName): boolean {
    const stage = this.stage(name);
    if (stage.approvers.length === 0) return stage.signOffs.at(-1)?.decision === 'approve';
    return stage.approvers.every(
      (approver) => stage.signOffs.filter((s) => s.by === approver).at(-1)?.decision === 'approve',
    );
  }

  private async note(event: string, detail: string, actor: string): Promise<void> {
    this.view.history.push({ at: iso(Date.now()), event, detail });
    const seq = ++this.seq;
    setProcessSearchAttributes({
      policyVersion: this.input.policyVersion,
      status: this.view.status,
      dueAt: this.current()?.dueAt ? Date.parse(this.current()!.dueAt!) : null,
    });
    const action = `rollout.${event}`;
    await recordedUnlessRefused(recordRolloutTransition({ view: this.view, seq, actor, action, detail: { detail } }), {
      workflowId: this.view.workflowId,
      seq,
      action,
    });
  }

  private email(purpose: string, to: string[], subject: string, lines: string[]): void {
    this.pendingEmails.push(sendRolloutEmail({ key: `${this.view.workflowId}/${purpose}`, to, subject, lines }));
  }
}

function stageOf(name: RolloutStageName, plan: StagePlan): StageView {
  return {
    name,
    status: 'pending',
    owner: plan.owner,
    tasks: plan.tasks.map((title, i) => ({ id: `${name}-${i + 1}`, title, done: false })),
    approvers: plan.approvers,
    signOffs: [],
  };
}

const iso = (ms: number) => new Date(ms).toISOString();
