/**
 * Notification requests in the six languages: subscribe (optionally to a resource group, a template name glob, and
 * `failures` or `all` outcomes), unsubscribe, list the subscriptions, and mute a template for a while. Pure: a
 * line of text in, a command or undefined out. Checked before the question rules, whose keyword rules would read
 * "subscribe win-*" as a template name.
 */
import { parseDuration } from '../../watch/duration';

export type SubscriptionCommand =
  | { kind: 'subscribe'; resourceGroup?: string; templateGlob?: string; outcomes: 'failures' | 'all' }
  | { kind: 'unsubscribe' }
  | { kind: 'subscriptions' }
  | { kind: 'mute'; template: string; durationMs: number }
  /** "mute X" without a duration the bot can read: answered with the expected form, not ignored. */
  | { kind: 'mute-invalid'; template?: string };

const LIST = /^(?:(?:list|show|my|our)\s+)*subscriptions$|^(?:(?:listar|mostrar|minhas|nossas)\s+)*(?:assinaturas|inscri[cç][oõ]es)$|^(?:(?:elenca|mostra|le\s+mie)\s+)*(?:iscrizioni|sottoscrizioni)$|^(?:(?:lister|afficher|mes|nos)\s+)*abonnements$|^(?:订阅列表|我的订阅|查看订阅|列出订阅)$|^(?:購読一覧|購読を表示|購読リスト)$/iu;

const UNSUBSCRIBE = /^(?:unsubscribe|stop\s+notifications|cancelar\s+(?:a\s+)?(?:assinatura|inscri[cç][aã]o)|desinscrever|annulla\s+(?:l['’]\s*)?iscrizione|disiscriviti|(?:se\s+)?d[ée]sabonner|d[ée]sabonne(?:-moi)?|取消订阅|退订|購読解除|購読をやめる|購読を解除)(?:\s|$)/iu;

const SUBSCRIBE = /^(?:subscribe|notify\s+me|assinar|inscrever(?:-se)?|iscriviti|iscrivi|sottoscrivi|(?:s['’]\s*)?abonner|abonne(?:-moi)?|订阅|購読|通知を受け取る)(?=\s|$|[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}])/iu;

const MUTE = /^(?:mute|silenciar|silenzia|(?:mettre\s+en\s+)?sourdine|静音|ミュート)(?:\s+|$)/iu;

const RESOURCE_GROUP = /(?:resource\s+group|grupo\s+de\s+recursos|gruppo\s+di\s+risorse|groupe\s+de\s+ressources|资源组|リソース\s*グループ)\s*[:=]?\s*([A-Za-z0-9._()-]+)/iu;
const TEMPLATES = /(?:templates?|modelos?|mod[eè]les?|模板|テンプレート)\s*[:=]?\s*([A-Za-z0-9._*?-]+)/iu;
const ALL = /(?:^|\s)(?:all|everything|todos|tudo|tutti|tutto|tous|tout)(?:\s|$)|所有|全部|すべて|全て/iu;
const FOR = /\s+(?:for|por|durante|per|pendant|pour)\s+/iu;
const CJK_DURATION: Array<[RegExp, string]> = [
  [/(\d+)\s*(?:小时|時間)/u, 'h'],
  [/(\d+)\s*(?:分钟|分)/u, 'm'],
  [/(\d+)\s*(?:天|日)/u, 'd'],
];
const NAME = /^[A-Za-z0-9._*?/-]+$/;

/** A request about notifications, or undefined when the line is about something else. */
export function parseSubscriptionCommand(line: string): SubscriptionCommand | undefined {
  const text = line.trim().replace(/\s+/g, ' ').replace(/[.!?。！？]+$/u, '');
  if (!text) return undefined;
  if (LIST.test(text)) return { kind: 'subscriptions' };
  if (UNSUBSCRIBE.test(text)) return { kind: 'unsubscribe' };
  if (MUTE.test(text)) return parseMute(text.replace(MUTE, ''));
  const sub = SUBSCRIBE.exec(text);
  if (!sub) return undefined;
  const rest = text.slice(sub[0].length);
  const rg = RESOURCE_GROUP.exec(rest)?.[1];
  const glob = TEMPLATES.exec(rest)?.[1];
  const command: SubscriptionCommand = { kind: 'subscribe', outcomes: ALL.test(rest) ? 'all' : 'failures' };
  if (rg) command.resourceGroup = rg;
  if (glob) command.templateGlob = glob;
  return command;
}

function parseMute(rest: string): SubscriptionCommand {
  const parts = rest.split(FOR);
  let template = parts[0]?.trim().split(' ')[0];
  let durationText = parts.length > 1 ? parts.slice(1).join(' ').trim() : rest.trim().split(' ').slice(1).join('');
  for (const [pattern, unit] of CJK_DURATION) {
    const m = pattern.exec(rest);
    if (m) {
      durationText = `${m[1]}${unit}`;
      template = rest.slice(0, m.index).trim().split(' ')[0];
      break;
    }
  }
  if (!template || !NAME.test(template)) return { kind: 'mute-invalid' };
  const durationMs = parseDuration(durationText ?? '');
  return durationMs === undefined ? { kind: 'mute-invalid', template } : { kind: 'mute', template, durationMs };
}
