import { randomUUID } from 'node:crypto';
import { type AdaptiveCardInvokeResponse, type CloudAdapter, type ConversationReference, TurnContext } from 'botbuilder';
import { isAzureGatewayError, parseTemplateId, type AzureGateways, type ImageTemplate } from '../azure';
import type { AuditLog, AuditRecord, RecordStore } from '../azure/records';
import { confirmationCard, outcomeCard, runProgressCard, workingCard, grantPermissionsCard, type Change, type OutcomeKind } from '../cards/action-cards';
import type { CardAttachment } from '../cards/bind';
import type { ActionName } from '../diagnosis';
import { resolveLocale, type Locale } from '../i18n';
import type { Logger } from '../logger';
import { diagnoseFetchedTemplate } from '../usecases/diagnose-template';
import { templateDiagnosisCard, type Conversation } from './conversation';
import { cardInvokeResponse, updateCardActivity } from './card-delivery';
import type { Policy, PolicySubject } from './policy';
import type { BotState, RunWatch } from './state';

// Card verbs that change something in Azure. Every one is authorized per user and conversation, confirmed when
// destructive, claimed exactly once however many clicks arrive, audited (who, what, when, result), and answered at
// once — the slow part (an ARM long-running operation, a build) continues in the background and updates the card.

type Confirmable = Extract<ActionName, 'delete-template' | 'cancel-run' | 'recreate-larger-timeout' | 'recreate-larger-vm'>;
const CONFIRMABLE: readonly Confirmable[] = ['delete-template', 'cancel-run', 'recreate-larger-timeout', 'recreate-larger-vm'];

export interface ActionDeps {
  gateways: AzureGateways;
  policy: Policy;
  state: BotState;
  claims: RecordStore;
  audit: AuditLog;
  conversation: Conversation;
  adapter: CloudAdapter;
  appId: string;
  logger: Logger;
  /** How often a running build is polled to update its progress card. */
  pollMs: number;
  tailBytes: number;
  maxBytes: number;
  track(work: Promise<unknown>): void;
  /** Verbs of the support-case flow, handled elsewhere. */
  support?: (context: TurnContext, verb: string, data: Record<string, unknown>, locale: Locale) => Promise<AdaptiveCardInvokeResponse | undefined>;
}

interface Who {
  name?: string;
  aadObjectId?: string;
  id?: string;
}

interface Request {
  context: TurnContext;
  locale: Locale;
  subject: PolicySubject;
  who: Who;
  templateId: string;
  target: { subscriptionId: string; resourceGroup: string; name: string };
  ref: { name: string; resourceGroup: string; id: string };
  data: Record<string, unknown>;
  /** Captured while the turn is live: the context is revoked once the click has been answered. */
  reference: Partial<ConversationReference>;
  replyToId?: string;
}

/** What following a card needs: enough to update it in a later turn, or after a restart (no live context then). */
interface CardTarget {
  templateId: string;
  target: { subscriptionId: string; resourceGroup: string; name: string };
  ref: { name: string; resourceGroup: string; id: string };
  locale: Locale;
  reference: Partial<ConversationReference>;
  context?: TurnContext;
}

/** The largest build timeout Image Builder accepts (ImageTemplate.buildTimeoutInMinutes maximum). */
const MAX_TIMEOUT = 960;
/** Default build VM sizes (Gen1 / Gen2) when vmProfile.vmSize is empty, per the ImageTemplate schema. */
const VM_LADDER = ['Standard_D2ds_v4', 'Standard_D4ds_v4', 'Standard_D8ds_v4', 'Standard_D16ds_v4', 'Standard_D32ds_v4'];
/** A non-rerun claim older than this and still running was left by a crashed process (deletes take minutes). */
const ABANDONED_CLAIM_MS = 2 * 60 * 60 * 1000;
/** Retries of one action on one observed state, after failures, before the bot says "already handled". */
const MAX_CLAIM_ATTEMPTS = 5;
const TERMINAL_RUN_STATES = ['Succeeded', 'PartiallySucceeded', 'Failed', 'Canceled'];
const READ_ONLY_FIELDS = ['id', 'name', 'type', 'systemData', 'provisioningState', 'provisioningError', 'lastRunStatus', 'exactStagingResourceGroup'] as const;

export class CardActions {
  constructor(private readonly deps: ActionDeps) {}

  /** Returns undefined for verbs it does not own, so the bot can answer "unknown action". */
  async handle(context: TurnContext, verb: string, data: Record<string, unknown>, locale: Locale): Promise<AdaptiveCardInvokeResponse | undefined> {
    if (/open-support-case$/.test(verb)) return this.deps.support?.(context, verb, data, locale);
    const [, prefix, action] = /^(confirm-|dismiss-)?(.+)$/.exec(verb) ?? [];
    const known = action === 'rerun' || action === 'grant-permissions' || (CONFIRMABLE as readonly string[]).includes(action);
    if (!known) return undefined;
    let req: Request;
    try {
      req = this.request(context, data, locale);
    } catch (e) {
      return card(this.deps.conversation.errorFor(e, locale));
    }
    try {
      if (action === 'grant-permissions') return await this.grantPermissions(req);
      if (action === 'rerun') return await this.rerun(req);
      const a = action as Confirmable;
      if (prefix === 'confirm-') return await this.confirm(req, a);
      if (prefix === 'dismiss-') return await this.dismiss(req, a);
      return await this.askConfirmation(req, a);
    } catch (e) {
      await this.record(req, action, 'failed', (e as Error).message);
      return card(this.deps.conversation.errorFor(e, locale));
    }
  }

  private request(context: TurnContext, data: Record<string, unknown>, locale: Locale): Request {
    const a = context.activity;
    const channelData = (a.channelData ?? {}) as { tenant?: { id?: string }; team?: { id?: string }; channel?: { id?: string } };
    const templateId = String(data.templateId ?? '');
    const target = parseTemplateId(templateId);
    return {
      context,
      locale,
      data,
      reference: TurnContext.getConversationReference(a),
      replyToId: a.replyToId,
      templateId,
      target,
      ref: { name: target.name, resourceGroup: target.resourceGroup, id: templateId },
      who: { name: a.from?.name, aadObjectId: a.from?.aadObjectId, id: a.from?.id },
      subject: {
        tenantId: a.conversation?.tenantId ?? channelData.tenant?.id,
        teamId: channelData.team?.id,
        channelId: channelData.channel?.id,
        conversationId: a.conversation?.id ?? '',
        userAadObjectId: a.from?.aadObjectId,
        userName: a.from?.name,
      },
    };
  }

  /** Authorization per user and conversation; a refusal is audited and said plainly, and nothing else happens. */
  private async authorize(req: Request, action: ActionName): Promise<AdaptiveCardInvokeResponse | undefined> {
    const decision = this.deps.policy.can(req.subject, req.target, action);
    if (decision.allowed) return undefined;
    await this.record(req, action, 'denied', decision.reason);
    return card(outcomeCard({ kind: 'denied', template: req.ref, action, detail: decision.reason }, req.locale));
  }

  private async askConfirmation(req: Request, action: Confirmable): Promise<AdaptiveCardInvokeResponse> {
    const denied = await this.authorize(req, action);
    if (denied) return denied;
    const template = await this.get(req);
    if (!template) return this.outcome(req, 'gone', action);
    const run = template.lastRunStatus;
    const running = run?.runState === 'Running' || run?.runState === 'Canceling';
    if (action === 'cancel-run' && !running) return this.outcome(req, 'not-running', action);
    if (action !== 'cancel-run' && running) return this.outcome(req, 'already-running', action, { run: runInfo(template) });
    const changes = action === 'recreate-larger-timeout' || action === 'recreate-larger-vm' ? changesFor(action, template) : undefined;
    if (changes === null) return this.outcome(req, 'limit', action);
    const pendingId = randomUUID();
    await this.deps.state.savePending({
      id: pendingId,
      action,
      templateId: req.templateId,
      parameters: { changes },
      requestedBy: { name: req.who.name, aadObjectId: req.who.aadObjectId },
      requestedAt: new Date().toISOString(),
      conversationId: req.subject.conversationId,
      cardActivityId: req.replyToId,
      snapshot: snapshotOf(template),
    });
    await this.record(req, action, 'requested', undefined, changes ? { changes } : undefined);
    return card(
      confirmationCard(
        {
          action,
          template: req.ref,
          pendingId,
          diagnosisId: typeof req.data.diagnosisId === 'string' ? req.data.diagnosisId : undefined,
          stagingResourceGroup: template.exactStagingResourceGroup?.split('/').pop(),
          changes: changes ?? undefined,
          run: runInfo(template),
          requestedBy: req.who.name,
        },
        req.locale,
      ),
    );
  }

  private async dismiss(req: Request, action: Confirmable): Promise<AdaptiveCardInvokeResponse> {
    const pending = await this.deps.state.takePending(req.subject.conversationId, String(req.data.pendingId ?? ''));
    if (!pending) return this.afterTheFact(req, action);
    await this.record(req, action, 'dismissed');
    // Cancel restores the card the button was on: a fresh diagnosis of the same template.
    return card(await this.freshDiagnosisCard(req));
  }

  private async confirm(req: Request, action: Confirmable): Promise<AdaptiveCardInvokeResponse> {
    const denied = await this.authorize(req, action);
    if (denied) return denied;
    const pending = await this.deps.state.takePending(req.subject.conversationId, String(req.data.pendingId ?? ''));
    if (!pending || pending.templateId !== req.templateId || pending.action !== action) return this.afterTheFact(req, action);
    const template = await this.get(req);
    if (!template) {
      await this.record(req, action, 'stale', 'template no longer exists');
      return this.outcome(req, 'gone', action);
    }
    const now = snapshotOf(template);
    const changed = Object.keys({ ...pending.snapshot, ...now }).find((k) => pending.snapshot[k] !== now[k]);
    if (changed) {
      await this.record(req, action, 'stale', `${changed}: ${pending.snapshot[changed] ?? '—'} → ${now[changed] ?? '—'}`);
      return this.outcome(req, 'stale', action, { detail: `${changed}: ${pending.snapshot[changed] ?? '—'} → ${now[changed] ?? '—'}` });
    }
    const at = new Date().toISOString();
    const claim = await this.claim(req, action, claimKey(action, req.templateId, pending.snapshot), at);
    if (!claim.claimed) {
      await this.record(req, action, 'duplicate', `claimed by ${claim.existing.by.name ?? '?'} at ${claim.existing.at}`);
      return this.outcome(req, 'duplicate', action, { by: claim.existing.by.name, at: claim.existing.at });
    }
    await this.record(req, action, 'confirmed', undefined, pending.parameters);
    const activityId = req.replyToId ?? pending.cardActivityId;
    const work = this.perform(req, action, template, pending.parameters.changes as Change[] | undefined, activityId, claim.key, at);
    this.deps.track(work);
    return card(workingCard({ template: req.ref, action, by: req.who.name, at }, req.locale));
  }

  /** The slow part of a confirmed action, after the click was answered. Every outcome lands on the card and the audit. */
  private async perform(req: Request, action: Confirmable, template: ImageTemplate, changes: Change[] | undefined, activityId: string | undefined, key: string, at: string): Promise<void> {
    const { gateways } = this.deps;
    const { resourceGroup, name } = req.target;
    const update = (c: CardAttachment) => this.updateCard(req, activityId, c);
    const finish = async (status: 'done' | 'failed', result: string) =>
      this.deps.claims.update({ key, action, templateId: req.templateId, by: { name: req.who.name, aadObjectId: req.who.aadObjectId }, at, status, result }).catch((e) =>
        this.deps.logger.warn('claim update failed', { key, error: (e as Error).message }),
      );
    try {
      if (action === 'delete-template') {
        await gateways.templates.delete(resourceGroup, name);
        const doneAt = new Date().toISOString();
        await this.record(req, action, 'succeeded');
        await finish('done', 'deleted');
        await update(outcomeCard({ kind: 'deleted', template: req.ref, action, by: req.who.name, at: doneAt }, req.locale));
      } else if (action === 'cancel-run') {
        await gateways.templates.cancel(resourceGroup, name);
        await this.record(req, action, 'succeeded', 'cancel accepted');
        await finish('done', 'cancel requested');
        await update(outcomeCard({ kind: 'cancel-requested', template: req.ref, action, by: req.who.name, at: new Date().toISOString() }, req.locale));
        const final = await this.waitForRun(req, activityId, { by: req.who.name, at }, 'current-run');
        if (final?.lastRunStatus?.runState === 'Canceled') {
          await update(outcomeCard({ kind: 'run-canceled', template: req.ref, action, by: req.who.name, at: new Date().toISOString() }, req.locale));
        }
      } else {
        const body = recreatedBody(template, changes ?? []);
        await update(workingCard({ template: req.ref, action, by: req.who.name, at, step: `1/2 · ${req.ref.name}: delete` }, req.locale));
        await gateways.templates.delete(resourceGroup, name);
        await update(workingCard({ template: req.ref, action, by: req.who.name, at, step: `2/2 · ${req.ref.name}: create` }, req.locale));
        await gateways.templates.create(resourceGroup, name, body);
        await this.record(req, action, 'succeeded', undefined, { changes });
        await finish('done', 'recreated');
        await update(outcomeCard({ kind: 'recreated', template: req.ref, action, by: req.who.name, at: new Date().toISOString(), change: changes?.[0] }, req.locale));
      }
    } catch (e) {
      this.deps.logger.warn('action failed', { action, template: req.templateId, error: (e as Error).message });
      await this.record(req, action, 'failed', (e as Error).message);
      await finish('failed', (e as Error).message);
      await update(outcomeCard({ kind: 'failed', template: req.ref, action, by: req.who.name, at: new Date().toISOString(), detail: describe(e) }, req.locale)).catch(() => undefined);
    }
  }

  private async rerun(req: Request): Promise<AdaptiveCardInvokeResponse> {
    const denied = await this.authorize(req, 'rerun');
    if (denied) return denied;
    const template = await this.get(req);
    if (!template) return this.outcome(req, 'gone', 'rerun');
    const run = template.lastRunStatus;
    if (run?.runState === 'Running' || run?.runState === 'Canceling') return this.outcome(req, 'already-running', 'rerun', { run: runInfo(template) });
    // One rerun per observed run: a double click, or two people clicking, find the first one's claim.
    const at = new Date().toISOString();
    const claim = await this.claim(req, 'rerun', claimKey('rerun', req.templateId, snapshotOf(template)), at);
    if (!claim.claimed) {
      await this.record(req, 'rerun', 'duplicate', `claimed by ${claim.existing.by.name ?? '?'} at ${claim.existing.at}`);
      return this.outcome(req, 'duplicate', 'rerun', { by: claim.existing.by.name, at: claim.existing.at });
    }
    const key = claim.key;
    try {
      await this.deps.gateways.templates.run(req.target.resourceGroup, req.target.name);
    } catch (e) {
      await this.deps.claims.update({ key, action: 'rerun', templateId: req.templateId, by: { name: req.who.name }, at, status: 'failed', result: (e as Error).message }).catch(() => undefined);
      throw e;
    }
    await this.record(req, 'rerun', 'succeeded', 'run accepted');
    const activityId = req.replyToId;
    if (activityId) {
      const watch: RunWatch = { templateId: req.templateId, activityId, conversation: req.reference, startedAt: at, startedBy: req.who.name, locale: req.locale, which: 'new-run', claimKey: key };
      // Persisted first, so a bot restarted mid-build still brings this card to the build's end.
      await this.deps.state.saveWatch(watch).catch((e) => this.deps.logger.warn('could not persist the run watch', { error: (e as Error).message }));
      this.deps.track(this.followRun(req, watch));
    }
    return card(runProgressCard({ template: req.ref, runState: 'Running', runSubState: 'Queued', startedBy: req.who.name, startedAt: at, seen: [] }, req.locale));
  }

  /** Follows a build on its card to the end: a fresh diagnosis when it failed, run outputs when it succeeded. */
  private async followRun(t: CardTarget, w: RunWatch): Promise<void> {
    try {
      const final = await this.waitForRun(t, w.activityId, { by: w.startedBy, at: w.startedAt }, w.which);
      if (w.claimKey) {
        await this.deps.claims
          .update({ key: w.claimKey, action: 'rerun', templateId: t.templateId, by: { name: w.startedBy }, at: w.startedAt, status: 'done', result: final?.lastRunStatus?.runState ?? 'unknown' })
          .catch(() => undefined);
      }
      const state = final?.lastRunStatus?.runState;
      if (!final) {
        // The template went away while we watched (deleted elsewhere): say so rather than leave a spinning card.
        await this.updateCard(t, w.activityId, outcomeCard({ kind: 'gone', template: t.ref }, t.locale));
      } else if (state === 'Succeeded' || state === 'PartiallySucceeded') {
        const outputs = await this.deps.gateways.templates.runOutputs(t.target.resourceGroup, t.target.name).catch(() => []);
        await this.updateCard(t, w.activityId, outcomeCard({ kind: 'run-succeeded', template: t.ref, action: 'rerun', by: w.startedBy, at: new Date().toISOString(), outputs: outputs.map((o) => ({ name: o.name ?? '?', artifact: o.artifactId ?? o.artifactUri ?? '?' })) }, t.locale));
      } else if (state === 'Failed') {
        // A failed rerun ends as a fresh diagnosis of the new run, on the same card.
        const d = await diagnoseFetchedTemplate(this.deps.gateways, final, { read: 'full', tailBytes: this.deps.tailBytes, maxBytes: this.deps.maxBytes });
        await this.updateCard(t, w.activityId, templateDiagnosisCard(t.ref, d, 'full', t.locale));
      } else if (state === 'Canceled') {
        await this.updateCard(t, w.activityId, outcomeCard({ kind: 'run-canceled', template: t.ref, action: 'rerun', at: new Date().toISOString() }, t.locale));
      }
      await this.deps.state.removeWatch(w.activityId);
    } catch (e) {
      // The watch stays: the next start of the bot tries again.
      this.deps.logger.warn('following a build failed', { template: t.templateId, error: (e as Error).message });
    }
  }

  /** After a restart: pick up every build a card was following when the previous process stopped. */
  async resume(): Promise<number> {
    const watches = await this.deps.state.watches();
    for (const w of watches) {
      let target;
      try {
        target = parseTemplateId(w.templateId);
      } catch {
        await this.deps.state.removeWatch(w.activityId);
        continue;
      }
      const t: CardTarget = {
        templateId: w.templateId,
        target,
        ref: { name: target.name, resourceGroup: target.resourceGroup, id: w.templateId },
        locale: resolveLocale(w.locale),
        reference: w.conversation,
      };
      this.deps.logger.info('resuming a build watch', { template: w.templateId, startedAt: w.startedAt });
      this.deps.track(this.followRun(t, w));
    }
    return watches.length;
  }

  /**
   * Reads the status until the run ends (the SDK's poller would block for the whole build), updating the card each
   * time the sub-state moves. Returns the final template, or undefined if it disappeared.
   */
  private async waitForRun(
    req: CardTarget,
    activityId: string | undefined,
    started: { by?: string; at: string },
    /** A rerun waits for the run it started (an older terminal status is the previous run); a cancel for any end. */
    which: 'new-run' | 'current-run',
  ): Promise<ImageTemplate | undefined> {
    const seen: string[] = [];
    let last = '';
    // No build outlives Image Builder's 960-minute maximum by this much: a bound, not a timeout anyone should hit.
    const deadline = Date.now() + (MAX_TIMEOUT + 120) * 60_000;
    while (Date.now() < deadline) {
      await sleep(this.deps.pollMs);
      let t: ImageTemplate;
      try {
        t = await this.deps.gateways.templates.get(req.target.resourceGroup, req.target.name);
      } catch (e) {
        if (isAzureGatewayError(e) && e.code === 'not-found') return undefined;
        if (isAzureGatewayError(e) && (e.code === 'throttled' || e.code === 'service-unavailable')) continue;
        throw e;
      }
      const run = t.lastRunStatus;
      this.deps.logger.debug('run progress', { template: req.templateId, runState: run?.runState, runSubState: run?.runSubState, startTime: run?.startTime });
      const isNew = which === 'current-run' || new Date(run?.startTime ?? 0).getTime() >= Date.parse(started.at) - 60_000;
      if (run?.runState && TERMINAL_RUN_STATES.includes(run.runState) && isNew) return t;
      const now = `${run?.runState}/${run?.runSubState}`;
      if (run?.runSubState && !seen.includes(run.runSubState)) seen.push(run.runSubState);
      if (now !== last) {
        last = now;
        await this.updateCard(req, activityId, runProgressCard({ template: req.ref, runState: run?.runState, runSubState: run?.runSubState, startTime: run?.startTime?.toString(), startedBy: started.by, startedAt: started.at, seen }, req.locale));
      }
    }
    return undefined;
  }

  private async grantPermissions(req: Request): Promise<AdaptiveCardInvokeResponse> {
    const template = await this.get(req);
    if (!template) return this.outcome(req, 'gone', 'grant-permissions');
    const ids = Object.values(template.identity?.userAssignedIdentities ?? {})
      .map((i) => i?.principalId)
      .filter((p): p is string => !!p);
    const sub = `/subscriptions/${req.target.subscriptionId}`;
    const source = (template.source as { imageId?: string; imageVersionId?: string } | undefined) ?? {};
    const scopes = [`${sub}/resourceGroups/${req.target.resourceGroup}`];
    const sourceRg = /\/resourceGroups\/[^/]+/i.exec(source.imageId ?? source.imageVersionId ?? '')?.[0];
    if (sourceRg && !scopes.includes(`${sub}${sourceRg}`)) scopes.push(`${sub}${sourceRg}`);
    return card(grantPermissionsCard({ template: req.ref, identityIds: ids, scopes }, req.locale));
  }

  /**
   * Exactly one of several concurrent clicks gets the claim. A claim whose action failed (Azure refused, throttled)
   * must not block a retry, so a failed claim passes the turn to the next numbered key, which is again create-only.
   */
  private async claim(req: Request, action: string, base: string, at: string) {
    const by = { name: req.who.name, aadObjectId: req.who.aadObjectId };
    let existing;
    for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
      const key = attempt === 0 ? base : `${base}#${attempt}`;
      const r = await this.deps.claims.claim({ key, action, templateId: req.templateId, by, at, status: 'running' });
      if (r.claimed) return { claimed: true as const, key };
      existing = r.existing;
      // A claim still `running` long after any ARM operation would have ended belongs to a process that died
      // mid-action: it passes the turn like a failed one rather than blocking the action forever.
      const abandoned = existing.status === 'running' && Date.now() - Date.parse(existing.at) > ABANDONED_CLAIM_MS && action !== 'rerun';
      if (existing.status !== 'failed' && !abandoned) break;
    }
    return { claimed: false as const, existing: existing! };
  }

  /** A confirm/dismiss whose confirmation is gone: someone answered first (say who), or the card is too old. */
  private async afterTheFact(req: Request, action: Confirmable): Promise<AdaptiveCardInvokeResponse> {
    const template = await this.get(req).catch(() => undefined);
    const claim = template ? await this.deps.claims.get(claimKey(action, req.templateId, snapshotOf(template))) : undefined;
    if (claim) {
      await this.record(req, action, 'duplicate', `already handled by ${claim.by.name ?? '?'} at ${claim.at}`);
      return this.outcome(req, 'duplicate', action, { by: claim.by.name, at: claim.at });
    }
    await this.record(req, action, 'stale', 'confirmation already answered or unknown');
    return this.outcome(req, template ? 'expired' : 'gone', action);
  }

  private async freshDiagnosisCard(req: Request): Promise<CardAttachment> {
    const template = await this.get(req);
    if (!template) return outcomeCard({ kind: 'gone', template: req.ref }, req.locale);
    const d = await diagnoseFetchedTemplate(this.deps.gateways, template, { read: 'tail', tailBytes: this.deps.tailBytes, maxBytes: this.deps.maxBytes });
    return templateDiagnosisCard(req.ref, d, 'tail', req.locale);
  }

  private async get(req: Request): Promise<ImageTemplate | undefined> {
    try {
      return await this.deps.gateways.templates.get(req.target.resourceGroup, req.target.name);
    } catch (e) {
      if (isAzureGatewayError(e) && e.code === 'not-found') return undefined;
      throw e;
    }
  }

  private outcome(req: Request, kind: OutcomeKind, action: ActionName, extra: { by?: string; at?: string; detail?: string; run?: { startTime?: string; runSubState?: string } } = {}): AdaptiveCardInvokeResponse {
    return card(outcomeCard({ kind, template: req.ref, action, ...extra }, req.locale));
  }

  private async updateCard(req: CardTarget, activityId: string | undefined, c: CardAttachment): Promise<void> {
    if (!activityId) return;
    await updateCardActivity({ adapter: this.deps.adapter, appId: this.deps.appId, reference: req.reference, context: req.context }, activityId, c);
  }

  private async record(req: Request, action: string, result: AuditRecord['result'], detail?: string, parameters?: Record<string, unknown>): Promise<void> {
    try {
      await this.deps.audit.append({
        time: new Date().toISOString(),
        user: req.who,
        tenantId: req.subject.tenantId,
        conversationId: req.subject.conversationId,
        action,
        target: req.templateId,
        parameters,
        result,
        detail,
      });
    } catch (e) {
      // An action must not silently go unaudited: the failure is logged loudly with the record's content.
      this.deps.logger.error('audit append failed', { action, result, target: req.templateId, error: (e as Error).message });
    }
  }
}

const card = cardInvokeResponse;

function runInfo(t: ImageTemplate): { startTime?: string; runSubState?: string } {
  const s = t.lastRunStatus?.startTime;
  return { startTime: s ? new Date(s).toISOString() : undefined, runSubState: t.lastRunStatus?.runSubState };
}

/** What must not have changed between showing a confirmation and acting on it. */
export function snapshotOf(t: ImageTemplate): Record<string, string | undefined> {
  const s = t.lastRunStatus?.startTime;
  return {
    provisioningState: t.provisioningState,
    runState: t.lastRunStatus?.runState,
    runStartTime: s ? new Date(s).toISOString() : undefined,
    buildTimeoutInMinutes: t.buildTimeoutInMinutes?.toString(),
    vmSize: t.vmProfile?.vmSize || undefined,
  };
}

export function claimKey(action: string, templateId: string, snapshot: Record<string, string | undefined>): string {
  return `${action}|${templateId.toLowerCase()}|${snapshot.provisioningState ?? ''}|${snapshot.runStartTime ?? 'never'}`;
}

/** The one property a recreate changes; null when it cannot grow any further. */
export function changesFor(action: 'recreate-larger-timeout' | 'recreate-larger-vm', t: ImageTemplate): Change[] | null {
  if (action === 'recreate-larger-timeout') {
    const current = t.buildTimeoutInMinutes && t.buildTimeoutInMinutes > 0 ? t.buildTimeoutInMinutes : 240;
    if (current >= MAX_TIMEOUT) return null;
    return [{ field: 'buildTimeoutInMinutes', before: String(t.buildTimeoutInMinutes ?? 0), after: String(Math.min(MAX_TIMEOUT, Math.max(current * 2, 60))) }];
  }
  const size = t.vmProfile?.vmSize || '';
  const i = VM_LADDER.findIndex((s) => s.toLowerCase() === size.toLowerCase());
  const next = i >= 0 ? VM_LADDER[i + 1] : 'Standard_D4ds_v4';
  if (!next) return null;
  return [{ field: 'vmProfile.vmSize', before: size || '(default)', after: next }];
}

/** The template as it must be sent again: read-only fields dropped, identity ids only, the change applied. */
export function recreatedBody(t: ImageTemplate, changes: Change[]): ImageTemplate {
  const body: Record<string, unknown> = { ...t };
  for (const f of READ_ONLY_FIELDS) delete body[f];
  const identities = t.identity?.userAssignedIdentities ?? {};
  body.identity = { ...t.identity, userAssignedIdentities: Object.fromEntries(Object.keys(identities).map((k) => [k, {}])) };
  for (const c of changes) {
    if (c.field === 'buildTimeoutInMinutes') body.buildTimeoutInMinutes = Number(c.after);
    if (c.field === 'vmProfile.vmSize') body.vmProfile = { ...t.vmProfile, vmSize: c.after };
  }
  return body as unknown as ImageTemplate;
}

function describe(e: unknown): string {
  if (isAzureGatewayError(e)) return `${e.code}: ${e.serviceMessage ?? e.message}`;
  return (e as Error)?.message ?? String(e);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

