import actionTemplate from '../../cards/action.json';
import type { ActionName } from '../diagnosis/types';
import { resolveLocale, t, type Locale } from '../i18n';
import { execute, withOverflow, type ActionPayload, type ExecuteAction } from './actions';
import { bindCard, type CardAttachment } from './bind';
import { clip, formatUtc, scrub } from './text';

// The cards of card actions: a confirmation naming exactly what will happen, live progress of a build or a
// deletion, and the outcome ("Deleted by Alice at 10:42 UTC"). One template (cards/action.json), several views.

export interface ActionTemplateRef {
  name: string;
  resourceGroup: string;
  id: string;
}

export interface Change {
  field: string;
  before: string;
  after: string;
}

interface ActionView {
  summary: string;
  heading: string;
  color: 'Default' | 'Attention' | 'Good' | 'Warning' | 'Accent';
  lines: Array<{ text: string }>;
  facts: Array<{ title: string; value: string }>;
  steps: Array<{ mark: string; text: string; weight: 'Default' | 'Bolder'; color: 'Default' | 'Good' | 'Attention' | 'Accent' }>;
  notes: Array<{ text: string }>;
  /** Text to copy (a saved template definition), in a multi-line input people can select from. */
  copies: Array<{ id: string; label: string; text: string }>;
  actions: Array<ExecuteAction & { style: 'default' | 'positive' | 'destructive' }>;
}

const NAME = 80;
/** A template definition is a few kB; the cut keeps the card under Teams' size limit. */
const DEFINITION_CHARS = 12_000;

function cut(text: string, max: number): string {
  const points = [...text];
  return points.length > max ? `${points.slice(0, max - 1).join('')}…` : text;
}

function view(locale: Locale, partial: Partial<ActionView> & Pick<ActionView, 'heading'>): ActionView {
  return { summary: partial.heading, color: 'Default', lines: [], facts: [], steps: [], notes: [], copies: [], actions: [], ...partial };
}

function render(v: ActionView): CardAttachment {
  return bindCard('action', actionTemplate, { ...v, actions: withOverflow(v.actions) });
}

function button(verb: string, title: string, payload: ActionPayload, style: 'default' | 'positive' | 'destructive' = 'default') {
  return { ...execute(verb, title, payload), style };
}

const who = (name: string | undefined, locale: Locale) => clip(name || t(locale, 'actions.someone'), NAME);

export function confirmationCard(
  input: {
    action: Extract<ActionName, 'delete-template' | 'cancel-run' | 'recreate-larger-timeout' | 'recreate-larger-vm' | 'cleanup-staging'>;
    template: ActionTemplateRef;
    pendingId: string;
    diagnosisId?: string;
    stagingResourceGroup?: string;
    changes?: Change[];
    run?: { startTime?: string; runSubState?: string };
    requestedBy?: string;
    /** When the confirmation stops being answerable. */
    expiresAt?: string;
  },
  localeTag: string,
): CardAttachment {
  const locale = resolveLocale(localeTag);
  const { action, template } = input;
  const p = { name: clip(template.name, NAME), group: clip(template.resourceGroup, NAME), staging: input.stagingResourceGroup ?? t(locale, 'actions.stagingUnknown') };
  const payload: ActionPayload = { templateId: template.id, diagnosisId: input.diagnosisId, pendingId: input.pendingId };
  // A larger VM is a PATCH of vmProfile in place since API 2024-02-01, not a recreate: the words say so.
  const headingKey = action === 'recreate-larger-vm' ? 'actions.confirm.resize-vm.heading' : `actions.confirm.${action}.heading`;
  const v = view(locale, { heading: t(locale, headingKey, p), color: 'Warning' });
  if (action === 'recreate-larger-vm') {
    v.lines.push({ text: t(locale, 'actions.confirm.resize.text', p) });
  } else if (action === 'cleanup-staging') {
    v.lines.push({ text: t(locale, 'actions.confirm.cleanup-staging.text', p) });
  } else if (action === 'cancel-run') {
    v.lines.push({ text: t(locale, 'actions.confirm.cancel-run.text', { start: input.run?.startTime ? formatUtc(input.run.startTime) : '?', subState: input.run?.runSubState ?? '?' }) });
  } else {
    v.lines.push({ text: t(locale, action === 'delete-template' ? 'actions.confirm.delete-template.text' : 'actions.confirm.recreate.text', p) });
  }
  for (const c of input.changes ?? []) v.facts.push({ title: c.field, value: `${c.before} → ${c.after}` });
  if (input.requestedBy) v.notes.push({ text: t(locale, 'actions.requestedBy', { user: who(input.requestedBy, locale) }) });
  if (input.expiresAt) v.notes.push({ text: t(locale, 'actions.expiresAt', { time: formatUtc(input.expiresAt) }) });
  v.actions.push(
    button(`confirm-${action}`, t(locale, 'actions.button.confirm'), payload, action === 'delete-template' || action === 'cleanup-staging' ? 'destructive' : 'positive'),
    button(`dismiss-${action}`, t(locale, 'actions.button.dismiss'), payload),
  );
  return render(v);
}

/** A run's sub-states in order (API 2025-10-01); Optimizing and Validating only for templates that have them. */
export const SUB_STATES = ['Queued', 'Building', 'Customizing', 'Optimizing', 'Validating', 'Distributing'] as const;

export function runProgressCard(
  input: { template: ActionTemplateRef; runState?: string; runSubState?: string; startTime?: string; startedBy?: string; startedAt: string; seen: string[] },
  localeTag: string,
): CardAttachment {
  const locale = resolveLocale(localeTag);
  const current = input.runSubState ?? 'Queued';
  const v = view(locale, {
    heading: t(locale, 'actions.progress.run.heading', { name: clip(input.template.name, NAME), state: t(locale, `actions.subState.${current}`) }),
    color: 'Accent',
  });
  // Optimizing and Validating appear only for templates that have them: show a step once the service reports it.
  const shown = SUB_STATES.filter((s) => !['Optimizing', 'Validating'].includes(s) || input.seen.includes(s));
  const at = shown.indexOf(current as (typeof SUB_STATES)[number]);
  shown.forEach((s, i) =>
    v.steps.push({
      mark: i < at ? '✓' : i === at ? '▶' : '·',
      text: t(locale, `actions.subState.${s}`),
      weight: i === at ? 'Bolder' : 'Default',
      color: i < at ? 'Good' : i === at ? 'Accent' : 'Default',
    }),
  );
  v.notes.push({ text: t(locale, 'actions.progress.run.startedBy', { user: who(input.startedBy, locale), time: formatUtc(input.startedAt) }) });
  v.actions.push(button('cancel-run', t(locale, 'action.cancel-run'), { templateId: input.template.id }, 'destructive'));
  return render(v);
}

export function workingCard(input: { template: ActionTemplateRef; action: ActionName; by?: string; at: string; step?: string }, localeTag: string): CardAttachment {
  const locale = resolveLocale(localeTag);
  const workingKey = input.action === 'recreate-larger-vm' ? 'actions.working.resize-vm' : `actions.working.${input.action}`;
  const v = view(locale, { heading: t(locale, workingKey, { name: clip(input.template.name, NAME) }), color: 'Accent' });
  if (input.step) v.lines.push({ text: input.step });
  v.notes.push({ text: t(locale, 'actions.confirmedBy', { user: who(input.by, locale), time: formatUtc(input.at) }) });
  return render(v);
}

export type OutcomeKind =
  | 'deleted'
  | 'recreated'
  | 'resized'
  | 'run-succeeded'
  | 'run-canceled'
  | 'cancel-requested'
  | 'failed'
  | 'duplicate'
  | 'stale'
  | 'expired'
  | 'timed-out'
  | 'interrupted'
  | 'gone'
  | 'already-running'
  | 'not-running'
  | 'limit'
  | 'not-resubmittable'
  | 'denied'
  | 'disabled'
  | 'cleaned-up'
  | 'nothing-kept'
  | 'dismissed';

export function outcomeCard(
  input: {
    kind: OutcomeKind;
    template: ActionTemplateRef;
    action?: ActionName;
    by?: string;
    at?: string;
    detail?: string;
    change?: Change;
    outputs?: Array<{ name: string; artifact: string }>;
    run?: { startTime?: string; runSubState?: string };
    /** How long a confirmation stayed open (timed-out). */
    minutes?: number;
    /** A failed recreate: the definition saved before the delete, shown to copy. */
    definition?: string;
  },
  localeTag: string,
): CardAttachment {
  const locale = resolveLocale(localeTag);
  const p = {
    name: clip(input.template.name, NAME),
    group: clip(input.template.resourceGroup, NAME),
    user: who(input.by, locale),
    time: input.at ? formatUtc(input.at) : '?',
    action: input.action ? t(locale, `action.${input.action}`) : '',
    detail: input.detail ? clip(input.detail, 400) : '',
    start: input.run?.startTime ? formatUtc(input.run.startTime) : '?',
    subState: input.run?.runSubState ?? '?',
    minutes: input.minutes ?? '?',
  };
  const good = ['deleted', 'recreated', 'resized', 'run-succeeded', 'cancel-requested', 'run-canceled', 'cleaned-up'].includes(input.kind);
  const v = view(locale, {
    heading: t(locale, `actions.outcome.${input.kind}.heading`, p),
    color: good ? 'Good' : input.kind === 'failed' ? 'Attention' : 'Warning',
  });
  v.lines.push({ text: t(locale, `actions.outcome.${input.kind}.text`, p) });
  if (input.change) v.facts.push({ title: input.change.field, value: `${input.change.before} → ${input.change.after}` });
  for (const o of input.outputs ?? []) v.facts.push({ title: clip(o.name, NAME), value: clip(o.artifact, 300) });
  if (input.definition) v.copies.push({ id: 'savedDefinition', label: t(locale, 'actions.savedDefinition'), text: cut(scrub(input.definition), DEFINITION_CHARS) });
  const id = input.template.id;
  if (input.kind === 'already-running') v.actions.push(button('cancel-run', t(locale, 'action.cancel-run'), { templateId: id }, 'destructive'));
  if (input.kind === 'recreated' || input.kind === 'resized' || input.kind === 'run-canceled') v.actions.push(button('rerun', t(locale, 'action.rerun'), { templateId: id }, 'positive'));
  if (['stale', 'failed', 'expired', 'timed-out'].includes(input.kind)) v.actions.push(button('diagnose', t(locale, 'actions.button.fresh'), { templateId: id }));
  return render(v);
}

/** What to grant, as commands to copy: the bot never grants roles itself. */
export function grantPermissionsCard(input: { template: ActionTemplateRef; identityIds: string[]; scopes: string[] }, localeTag: string): CardAttachment {
  const locale = resolveLocale(localeTag);
  const v = view(locale, { heading: t(locale, 'actions.grant.heading', { name: clip(input.template.name, NAME) }) });
  v.lines.push({ text: t(locale, 'actions.grant.text') });
  const assignees = input.identityIds.length ? input.identityIds : ['<identity principal id>'];
  for (const principal of assignees) {
    for (const scope of input.scopes) {
      v.notes.push({ text: `az role assignment create --assignee ${principal} --role Contributor --scope ${scope}` });
    }
  }
  v.lines.push({ text: t(locale, 'actions.grant.after') });
  return render(v);
}
