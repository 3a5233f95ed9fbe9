import { randomUUID } from 'node:crypto';
import { isAzureGatewayError, type AzureGateways } from '../azure';
import {
  diagnosisCard,
  statusCard,
  listCard,
  choiceCard,
  logCard,
  helpCard,
  errorCard,
} from '../cards/render';
import { classify, DiagnosisInputError, parseTemplateJson, templateFacts, type DiagnoseInput } from '../diagnosis';
import type { Locale } from '../i18n';
import { diagnoseFetchedTemplate, type TemplateDiagnosis } from '../usecases/diagnose-template';
import { listTemplates } from '../usecases/list-templates';
import { TemplateLocator } from '../usecases/resolve-template';
import type { Intent, TemplateRef } from './intents';
import type { Replies } from './replies';
import type { Logger } from '../logger';

// What the bot does for each intent: resolve the template, call the use case, answer with a card. Errors a person
// can act on become error cards; anything else becomes an "internal" card with an id that is also in the log.

export interface ConversationDeps {
  gateways: AzureGateways;
  tailBytes: number;
  maxBytes: number;
  logger: Logger;
  /** Background work (full log scans) the process should let finish; tests await it. */
  track(work: Promise<unknown>): void;
}

export class Conversation {
  private readonly locator: TemplateLocator;

  constructor(private readonly deps: ConversationDeps) {
    this.locator = new TemplateLocator(deps.gateways);
  }

  async handle(intent: Intent, locale: Locale, replies: Replies): Promise<void> {
    try {
      switch (intent.kind) {
        case 'diagnose':
          return await this.diagnose(intent.target, locale, replies);
        case 'status':
          return await this.status(intent.target, locale, replies);
        case 'show-log':
          return await this.showLog(intent.target, locale, replies);
        case 'list':
          return await this.list(intent.failedOnly, intent.resourceGroup, locale, replies);
        case 'diagnose-text':
          return await this.diagnoseText(intent.text, locale, replies);
        case 'help':
          await replies.send(helpCard(locale));
          return;
        case 'empty':
          await replies.send(errorCard({ code: 'empty-message', params: {} }, locale));
          return;
        case 'unrecognized':
          await replies.send(errorCard({ code: 'unrecognized', params: {} }, locale));
          return;
      }
    } catch (e) {
      await replies.send(this.errorFor(e, locale));
    }
  }

  /** A card verb that names a template by its ARM id (list rows, choice cards, refresh). */
  async handleTemplateVerb(verb: 'diagnose' | 'status' | 'show-log', target: TemplateRef, locale: Locale, replies: Replies): Promise<void> {
    return this.handle(verb === 'diagnose' ? { kind: 'diagnose', target } : verb === 'status' ? { kind: 'status', target } : { kind: 'show-log', target }, locale, replies);
  }

  errorFor(e: unknown, locale: Locale) {
    if (isAzureGatewayError(e)) {
      return errorCard(
        {
          code: e.code,
          params: {
            resource: e.resource,
            missingAction: e.missingAction ?? e.requiredAction,
            scope: e.scope,
            requiredRole: e.requiredRole,
            stagingResourceGroup: e.stagingResourceGroup,
            retryAfterSeconds: e.retryAfterSeconds,
            invalidValue: e.invalidValue,
            message: e.serviceMessage,
          },
        },
        locale,
      );
    }
    const id = randomUUID().slice(0, 8);
    this.deps.logger.error('conversation failed', { errorId: id, error: (e as Error)?.message });
    return errorCard({ code: 'internal', params: { errorId: id } }, locale);
  }

  private async resolve(target: TemplateRef, purpose: 'diagnose' | 'status' | 'show-log', locale: Locale, replies: Replies) {
    const r = await this.locator.resolve(target.name, target.resourceGroup);
    if (r.kind === 'found') return r;
    if (r.kind === 'ambiguous') await replies.send(choiceCard({ name: target.name, purpose, candidates: r.candidates }, locale));
    else await replies.send(errorCard({ code: 'template-not-found', params: { name: target.name, suggestions: r.suggestions } }, locale));
    return undefined;
  }

  private async diagnose(target: TemplateRef, locale: Locale, replies: Replies): Promise<void> {
    await replies.typing();
    const found = await this.resolve(target, 'diagnose', locale, replies);
    if (!found) return;
    const ref = { name: found.name, resourceGroup: found.resourceGroup, id: found.id };
    const quick = await diagnoseFetchedTemplate(this.deps.gateways, found.template, this.readOptions('tail'));
    const needsFullScan = quick.log.partial && !quick.log.error;
    const activityId = await replies.send(templateDiagnosisCard(ref, quick, 'tail', locale));
    if (!needsFullScan || !activityId) return;
    // Answer from the tail first; the whole log can take seconds. The same card is then updated in place.
    const full = (async () => {
      try {
        const complete = await diagnoseFetchedTemplate(this.deps.gateways, found.template, this.readOptions('full'));
        await replies.update(activityId, templateDiagnosisCard(ref, complete, 'full', locale));
      } catch (e) {
        this.deps.logger.warn('full log scan failed; the tail answer stands', { template: found.id, error: (e as Error).message });
        await replies.update(activityId, templateDiagnosisCard(ref, quick, 'tail', locale)).catch(() => undefined);
      }
    })();
    this.deps.track(full);
  }

  private readOptions(read: 'tail' | 'full') {
    return { read, tailBytes: this.deps.tailBytes, maxBytes: this.deps.maxBytes };
  }

  private async status(target: TemplateRef, locale: Locale, replies: Replies): Promise<void> {
    const found = await this.resolve(target, 'status', locale, replies);
    if (!found) return;
    await replies.send(
      statusCard({ template: { name: found.name, resourceGroup: found.resourceGroup, id: found.id }, facts: templateFacts(found.template) }, locale),
    );
  }

  private async showLog(target: TemplateRef, locale: Locale, replies: Replies): Promise<void> {
    await replies.typing();
    const found = await this.resolve(target, 'show-log', locale, replies);
    if (!found) return;
    const d = await diagnoseFetchedTemplate(this.deps.gateways, found.template, this.readOptions('tail'));
    if (d.log.error) {
      await replies.send(errorCard({ code: d.log.error.code, params: { message: d.log.error.message, stagingResourceGroup: d.log.location?.stagingResourceGroup } }, locale));
      return;
    }
    const loc = d.log.location;
    await replies.send(
      logCard(
        {
          template: { name: found.name, resourceGroup: found.resourceGroup, id: found.id },
          excerpt: d.diagnosis.evidence.filter((e) => e.source === 'log'),
          location: loc
            ? `${loc.stagingResourceGroup ? `${loc.stagingResourceGroup} › ` : ''}${loc.account} › ${loc.container} › ${loc.blobPath}`
            : undefined,
          size: d.log.size,
          partial: d.log.partial,
        },
        locale,
      ),
    );
  }

  private async list(failedOnly: boolean, resourceGroup: string | undefined, locale: Locale, replies: Replies): Promise<void> {
    const result = await listTemplates(this.deps.gateways, { failedOnly, resourceGroup });
    await replies.send(listCard({ ...result, failedOnly, resourceGroup }, locale));
  }

  private async diagnoseText(text: string, locale: Locale, replies: Replies): Promise<void> {
    const input: DiagnoseInput = {};
    // A pasted status JSON is a template in all but name: read it as one so its status facts count.
    const trimmed = text.trim();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      try {
        input.template = parseTemplateJson(trimmed);
      } catch (e) {
        if (!(e instanceof DiagnosisInputError)) throw e;
      }
    }
    if (!input.template) input.texts = [text];
    const diagnosis = classify(input);
    await replies.send(diagnosisCard({ diagnosis, facts: input.template, scan: 'none' }, locale));
  }
}

/**
 * The diagnosis card of a template, saying how much of its log the answer rests on: the tail only (a full scan
 * follows), the whole log, a capped part, or none (with why, e.g. the role that is missing).
 */
export function templateDiagnosisCard(ref: { name: string; resourceGroup: string; id: string }, d: TemplateDiagnosis, read: 'tail' | 'full', locale: Locale) {
  const scan = !d.log.location || d.log.error ? 'none' : !d.log.partial ? 'complete' : read === 'tail' ? 'tail' : 'partial';
  return diagnosisCard({ template: ref, diagnosis: d.diagnosis, facts: d.facts, log: d.log, scan }, locale);
}
