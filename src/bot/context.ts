import { ActivityTypes, TeamsInfo, TurnContext, type ConversationReference } from 'botbuilder';
import type { AuditRecord, AuditResult } from '../azure/records';
import type { CardAttachment } from '../cards/bind';
import { resolveLocale, type Locale } from '../i18n';
import { BotError, TemplateId, type Subject } from '../model';
import { cardLocale, withCardLocale } from './card-locale';
import { cardMessage, updateCardActivity, type CardChannel } from './card-delivery';
import type { PolicyAction, PolicyDecision } from './policy';
import type { Replies } from './replies';
import type { BotServices } from './services';

// The per-turn context every handler receives: who asks from where, in which language, about which template (its
// id parsed once, here), how to answer, and how to leave a record. Handlers never read the raw activity.

/** What a card click is answered with: a card replacing the clicked one, or a short text that leaves it as it was. */
export type Answer = { kind: 'card'; card: CardAttachment } | { kind: 'ack'; text: string };

export const cardAnswer = (card: CardAttachment): Answer => ({ kind: 'card', card });
export const ackAnswer = (text = ''): Answer => ({ kind: 'ack', text });

export interface Turn {
  readonly services: BotServices;
  readonly locale: Locale;
  readonly subject: Subject;
  /** The card verb (empty for a message). */
  readonly verb: string;
  /** The card's data: always a plain object (anything else arrived as `{}`). */
  readonly data: Readonly<Record<string, unknown>>;
  /** The card that was clicked (Teams sets replyToId on card invokes). */
  readonly replyToId?: string;
  readonly replies: Replies;
  /** Whether the card data names a template at all. */
  readonly namesTemplate: boolean;
  /** What the Teams client says about where the person is (its `clientInfo` entity): IANA zone, alpha-2 country. */
  readonly client: { timeZone?: string; country?: string };
  /** The person's email where the channel gives it (Teams' member roster); undefined elsewhere or on any error. */
  memberEmail(): Promise<string | undefined>;
  /** The template the card data names, canonical and on the served subscription; throws a typed BotError otherwise. */
  template(): TemplateId;
  /**
   * Takes the spelling ARM returned for the same template (ARM compares case-insensitively but keeps the case it
   * was created with), so the audit trail and the cards name it one way whatever case the card data used.
   */
  adopt(armId: string | undefined): TemplateId | undefined;
  /** The policy's answer for this subject; without a template, for the served subscription and no resource group. */
  can(action: PolicyAction, template?: TemplateId): PolicyDecision;
  /** Appends to the audit trail; throws BotError `audit-unavailable` when it cannot, so the caller refuses. */
  audit(action: string, result: AuditResult, detail?: string, parameters?: Record<string, unknown>): Promise<void>;
  /** How to update a card of this conversation later, after this turn has been answered. */
  channel(): CardChannel;
  /** Updates a card of this conversation (in the turn when it is live, else proactively). */
  update(activityId: string | undefined, card: CardAttachment): Promise<void>;
  /** The card as this turn sends it: with the reply's locale on its buttons when that is not the client's. */
  stamp(card: CardAttachment): CardAttachment;
}

/** `locale`: the reply's language when it is not the client's (a question understood in another language). */
export function createTurn(context: TurnContext, services: BotServices, verb = '', rawData: unknown = {}, locale?: Locale): Turn {
  const a = context.activity;
  const channelData = (a.channelData ?? {}) as { tenant?: { id?: string }; team?: { id?: string }; channel?: { id?: string } };
  const subject: Subject = {
    tenantId: a.conversation?.tenantId ?? channelData.tenant?.id,
    teamId: channelData.team?.id,
    channelId: channelData.channel?.id,
    conversationId: a.conversation?.id ?? '',
    user: { id: a.from?.id, name: a.from?.name, aadObjectId: a.from?.aadObjectId },
  };
  const data = isPlainObject(rawData) ? rawData : {};
  const clientLocale = resolveLocale(a.locale);
  const replyLocale = locale ?? cardLocale(data) ?? clientLocale;
  // Cards answered in another language than the client's carry it on their buttons, so clicks keep it.
  const stamped = (card: CardAttachment) => (replyLocale === clientLocale ? card : withCardLocale(card, replyLocale));
  const reference: Partial<ConversationReference> = TurnContext.getConversationReference(a);
  const served = services.gateways.subscriptionId;
  let parsed: TemplateId | BotError | undefined;
  const channel = (): CardChannel => ({ adapter: services.delivery.adapter, appId: services.delivery.appId, reference, context });
  const turn: Turn = {
    services,
    locale: replyLocale,
    subject,
    verb,
    data,
    replyToId: a.replyToId,
    replies: repliesOf(context, channel, stamped, services.limits.typingDelayMs),
    namesTemplate: data.templateId !== undefined,
    client: clientInfoOf(a.entities),
    async memberEmail() {
      if (a.channelId !== 'msteams' || !a.from?.id) return undefined;
      try {
        // A roster read that hangs must not hold the form back: without an answer the email is left to type.
        const member = await Promise.race([TeamsInfo.getMember(context, a.from.id), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('roster timeout')), 3000).unref())]);
        const email = member.email ?? member.userPrincipalName;
        // Whole or not at all: a cut address can be someone else's, and line breaks would reach the copy text.
        return typeof email === 'string' && email.length <= 120 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? email : undefined;
      } catch {
        return undefined;
      }
    },
    template() {
      if (!parsed) {
        try {
          parsed = TemplateId.parse(data.templateId, served);
        } catch (e) {
          parsed = e instanceof BotError ? e : new BotError('invalid-template-id', 'The card did not name an image template.');
        }
      }
      if (parsed instanceof BotError) throw parsed;
      return parsed;
    },
    adopt(armId) {
      const current = parsed instanceof TemplateId ? parsed : undefined;
      const arm = armId ? TemplateId.parseAny(armId) : undefined;
      if (current && arm && arm.equals(current)) parsed = arm;
      return parsed instanceof TemplateId ? parsed : undefined;
    },
    can(action, template) {
      const target = template ? { subscriptionId: template.subscriptionId, resourceGroup: template.resourceGroup } : { subscriptionId: served, resourceGroup: '' };
      return services.policy.can(policySubject(subject), target, action);
    },
    audit: (action, result, detail, parameters) => {
      let target: string;
      try {
        target = turn.template().id;
      } catch {
        target = '(no template)';
      }
      return appendAudit(services, { time: new Date().toISOString(), user: subject.user, tenantId: subject.tenantId, conversationId: subject.conversationId, action, target, parameters, result, detail });
    },
    channel,
    async update(activityId, card) {
      if (activityId) await updateCardActivity(channel(), activityId, stamped(card));
    },
    stamp: stamped,
  };
  return turn;
}

/** Throws BotError `audit-unavailable` (after logging the record's content) when the trail cannot be written. */
async function appendAudit(services: BotServices, record: AuditRecord): Promise<void> {
  const log = services.actions?.audit;
  if (!log) throw new BotError('audit-unavailable', 'No audit trail is configured.');
  try {
    await log.append(record);
  } catch (e) {
    services.logger.error('audit append failed; the action is refused', { action: record.action, result: record.result, target: record.target, error: (e as Error).message });
    throw new BotError('audit-unavailable', 'The audit trail could not be written.');
  }
}

export function policySubject(s: Subject) {
  return { tenantId: s.tenantId, teamId: s.teamId, channelId: s.channelId, conversationId: s.conversationId, userAadObjectId: s.user.aadObjectId, userName: s.user.name };
}

function repliesOf(context: TurnContext, channel: () => CardChannel, stamped: (card: CardAttachment) => CardAttachment, typingDelayMs: number): Replies {
  // The indicator waits `typingDelayMs` first, as botbuilder's ShowTypingMiddleware does: most answers come sooner,
  // and an indicator flashed just before the card is one more POST to the connector for nothing. Once sent, a reply
  // waits for it, so it never lands after the answer; a lost indicator costs nothing, so its failure is dropped.
  let typing: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let answered = false;
  const answer = () => {
    answered = true;
    clearTimeout(timer);
  };
  const answering = async () => {
    answer();
    await typing;
  };
  // Any message out of this turn is an answer, an error card from the turn's error handler too.
  context.onSendActivities(async (_c, activities, next) => {
    if (activities.some((a) => a.type === ActivityTypes.Message)) answer();
    return next();
  });
  return {
    typing: () => {
      // Teams shows no typing indicator in a channel, and the Agents Playground drops the reply that follows one.
      if (context.activity.conversation?.conversationType === 'channel' || answered || timer) return;
      timer = setTimeout(() => {
        if (answered) return;
        try {
          typing = context.sendActivity({ type: ActivityTypes.Typing }).catch(() => undefined);
        } catch {
          // The turn ended without an answer (its context is revoked): nothing to type into.
        }
      }, typingDelayMs);
      timer.unref();
    },
    send: async (card) => {
      await answering();
      const r = await context.sendActivity(cardMessage(stamped(card)));
      return r?.id;
    },
    text: async (message) => {
      await answering();
      await context.sendActivity(message);
    },
    update: (activityId, card) => updateCardActivity(channel(), activityId, stamped(card)),
  };
}

/** Teams' `clientInfo` entity, read defensively: the entity is the client's word, so only short strings count. */
function clientInfoOf(entities: unknown): Turn['client'] {
  const info = Array.isArray(entities) ? entities.find((e) => isPlainObject(e) && e.type === 'clientInfo') : undefined;
  if (!isPlainObject(info)) return {};
  const short = (v: unknown) => (typeof v === 'string' && v.length > 0 && v.length <= 64 ? v : undefined);
  return { timeZone: short(info.timezone), country: short(info.country) };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
