import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ACTION_NAMES, type ActionName } from '../diagnosis/types';
import { SUPPORT_SEVERITIES, type SupportSeverity } from '../model/support-case';

// Who may read and who may change which image templates. Rules only ever grant; what no rule grants falls to the
// default. A policy is data loaded once at start-up, so a typo in the file stops the bot instead of silently
// letting everybody (or nobody) act.

/** `subscribe`: start failure notifications in a conversation (and mute them); not a change in Azure, but a grant. */
export type PolicyAction = 'read' | ActionName | 'subscribe';

export interface PolicySubject {
  tenantId?: string;
  teamId?: string;
  channelId?: string;
  conversationId: string;
  userAadObjectId?: string;
  userName?: string;
}

export interface PolicyTarget {
  subscriptionId: string;
  resourceGroup: string;
}

export interface PolicyDecision {
  allowed: boolean;
  /** Which rule or default decided, in English words fit for the audit trail and the server log. */
  reason: string;
  /** The same decision as data, so a card can say it in the reader's language. */
  basis: { kind: 'rule'; rule: string } | { kind: 'default'; fallback: PolicyDefault; source: string };
  /** The highest support-case severity the deciding rule (or the policy) allows; absent: no cap. */
  maxSeverity?: PolicySeverity;
}

/** Support-case severities, lowest first (the support API's values). */
const POLICY_SEVERITIES = SUPPORT_SEVERITIES;
export type PolicySeverity = SupportSeverity;

/** Whether `asked` is within `max` (an absent cap allows everything). */
export function severityAllowed(asked: string, max: PolicySeverity | undefined): boolean {
  if (!max) return true;
  const i = (POLICY_SEVERITIES as readonly string[]).indexOf(asked);
  return i >= 0 && i <= POLICY_SEVERITIES.indexOf(max);
}

export interface Policy {
  can(subject: PolicySubject, target: PolicyTarget, action: PolicyAction): PolicyDecision;
  /** The file the policy came from, or the name of the built-in default. */
  readonly source: string;
  /** One line for the start-up banner. */
  readonly summary: string;
}

export type PolicyDefault = 'read-only' | 'deny' | 'all';

export type PolicyErrorCode = 'policy-invalid' | 'policy-unreadable';

export class PolicyError extends Error {
  constructor(
    readonly code: PolicyErrorCode,
    message: string,
    /** The policy file (or other source) at fault. */
    readonly source: string,
    /** Where in the document, e.g. `rules[0].actions[2]`; absent for whole-file problems. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'PolicyError';
  }
}

export const POLICY_ACTIONS: readonly PolicyAction[] = ['read', ...ACTION_NAMES, 'subscribe'];

/**
 * Showing a build log reveals no more than a diagnosis does (both read the same log), so it is a read and not a
 * separate grant: a read-only default must let people see the log the diagnosis quotes from.
 */
const READ_ACTIONS: ReadonlySet<PolicyAction> = new Set<PolicyAction>(['read', 'show-log']);

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// ARM resource group names: letters, digits, `-_.()`, up to 90 characters; `*` added for globs.
const RESOURCE_GROUP_PATTERN = /^[-\w.()*]{1,90}$/u;

const selector = (field: string, what: string, item: z.ZodString) =>
  z
    .array(item, { invalid_type_error: `expected a list of ${what}` })
    .nonempty({ message: `an empty list matches nobody; leave "${field}" out to match anyone` });

const guidList = (field: string, what: string) => selector(field, what, z.string().regex(GUID, `expected a GUID (${what})`));
const idList = (field: string, what: string) => selector(field, `${what} ids`, z.string().trim().min(1, `expected a non-empty ${what} id`));

const actionItem = z.string().refine((a) => a === '*' || (POLICY_ACTIONS as readonly string[]).includes(a), (a) => ({
  message: `unknown action ${JSON.stringify(a)} (use "*" or ${POLICY_ACTIONS.map((x) => `"${x}"`).join(', ')})`,
}));

const RuleSchema = z
  .object({
    description: z.string().optional(),
    tenants: guidList('tenants', 'tenant ids').optional(),
    teams: idList('teams', 'team').optional(),
    channels: idList('channels', 'channel').optional(),
    users: guidList('users', 'AAD object ids').optional(),
    subscriptions: guidList('subscriptions', 'subscription ids').optional(),
    resourceGroups: selector(
      'resourceGroups',
      'resource groups',
      z.string().regex(RESOURCE_GROUP_PATTERN, 'expected a resource group name, optionally with * wildcards'),
    ).optional(),
    maxSeverity: z.enum(POLICY_SEVERITIES).optional(),
    // `"actions": "*"` is shorthand for `["*"]`; a list keeps item-level errors pointing at the bad entry.
    actions: z.preprocess(
      (v) => (v === '*' ? ['*'] : v),
      z.array(actionItem, { invalid_type_error: 'expected "*" or a list of actions', required_error: 'a rule must list its actions' }).nonempty({
        message: 'a rule must grant at least one action',
      }),
    ),
  })
  .strict();

const PolicySchema = z
  .object({
    version: z.literal(1, { errorMap: () => ({ message: 'expected 1 (the only policy format so far)' }) }),
    default: z.enum(['read-only', 'deny', 'all']).optional(),
    maxSeverity: z.enum(POLICY_SEVERITIES).optional(),
    rules: z.array(RuleSchema).default([]),
  })
  .strict();

type RuleDocument = z.infer<typeof RuleSchema>;

interface CompiledRule {
  label: string;
  tenants?: Set<string>;
  teams?: Set<string>;
  channels?: Set<string>;
  users?: Set<string>;
  subscriptions?: Set<string>;
  resourceGroups?: RegExp[];
  /** Undefined: every action. */
  actions?: Set<PolicyAction>;
  maxSeverity?: PolicySeverity;
}

/** Validates a parsed policy document. `source` names it in errors (normally the file path). */
export function parsePolicy(json: unknown, source: string, fallbackDefault: PolicyDefault = 'read-only'): Policy {
  const parsed = PolicySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = formatPath(issue.path);
    throw new PolicyError('policy-invalid', `${source}: ${field || '(document)'}: ${issue.message}`, source, field || undefined);
  }
  const doc = parsed.data;
  const fallback: PolicyDefault = doc.default ?? fallbackDefault;
  const rules = doc.rules.map(compileRule);
  return makePolicy(rules, fallback, source, `policy ${source}: ${rules.length} rule(s), default ${fallback}`, doc.maxSeverity);
}

/**
 * Reads the policy file named by ACTION_POLICY. Without a file every decision falls to `fallback`, which the
 * configuration chooses (ACTION_POLICY_DEFAULT; by default everything in a sandbox, read-only on Azure) — the policy
 * itself does not know which mode the bot runs in.
 */
export async function loadPolicy(path: string | undefined, fallback: PolicyDefault): Promise<Policy> {
  if (path === undefined || path.trim() === '') {
    return makePolicy([], fallback, 'the configured default', `no ACTION_POLICY: default "${fallback}" for everyone (set ACTION_POLICY to grant per team, channel or user)`);
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
    throw new PolicyError('policy-unreadable', `ACTION_POLICY ${path}: cannot read the file (${why})`, path);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new PolicyError('policy-invalid', `${path}: not valid JSON (${(e as Error).message})`, path);
  }
  return parsePolicy(json, path, fallback);
}

function makePolicy(rules: CompiledRule[], fallback: PolicyDefault, source: string, summary: string, maxSeverity?: PolicySeverity): Policy {
  return {
    source,
    summary,
    can(subject, target, action) {
      const wanted = READ_ACTIONS.has(action) ? 'read' : action;
      const matching = rules.filter((r) => matchesSubject(r, subject) && matchesTarget(r, target));
      const granting = matching.find((r) => grants(r, wanted));
      const byDefault = { kind: 'default' as const, fallback, source };
      if (granting) return { allowed: true, reason: `allowed by ${granting.label}`, basis: { kind: 'rule', rule: granting.label }, maxSeverity: granting.maxSeverity ?? maxSeverity };
      const allowedByDefault = fallback === 'all' || (fallback === 'read-only' && wanted === 'read');
      if (allowedByDefault) return { allowed: true, reason: `allowed by the default "${fallback}" of ${source}`, basis: byDefault, maxSeverity };
      const near = matching.length
        ? `; ${matching.map((r) => `${r.label} applies here but grants only ${describeActions(r)}`).join('; ')}`
        : '';
      return {
        allowed: false,
        reason: `no rule of ${source} grants "${action}" on ${target.resourceGroup || '(no template)'} for this user and conversation, and the default is "${fallback}"${near}`,
        basis: byDefault,
      };
    },
  };
}

function compileRule(rule: RuleDocument, index: number): CompiledRule {
  const lower = (xs?: string[]) => (xs ? new Set(xs.map((x) => x.toLowerCase())) : undefined);
  const exact = (xs?: string[]) => (xs ? new Set(xs.map((x) => x.trim())) : undefined);
  const actions = rule.actions.includes('*') ? undefined : new Set(rule.actions as PolicyAction[]);
  if (actions?.has('show-log')) actions.add('read');
  return {
    label: rule.description ? `rule ${index} ("${rule.description}")` : `rule ${index}`,
    // GUIDs and ARM names compare case-insensitively; Teams thread ids are opaque and compared as given.
    tenants: lower(rule.tenants),
    teams: exact(rule.teams),
    channels: exact(rule.channels),
    users: lower(rule.users),
    subscriptions: lower(rule.subscriptions),
    resourceGroups: rule.resourceGroups?.map(globToRegExp),
    actions,
    maxSeverity: rule.maxSeverity,
  };
}

function matchesSubject(rule: CompiledRule, s: PolicySubject): boolean {
  return (
    among(rule.tenants, s.tenantId?.toLowerCase()) &&
    among(rule.teams, s.teamId) &&
    // A channel rule also matches its threads (`19:…@thread.tacv2;messageid=…`) and, by conversation id, group chats.
    (!rule.channels || among(rule.channels, s.channelId) || among(rule.channels, baseConversationId(s.conversationId))) &&
    among(rule.users, s.userAadObjectId?.toLowerCase())
  );
}

function matchesTarget(rule: CompiledRule, t: PolicyTarget): boolean {
  if (!among(rule.subscriptions, t.subscriptionId.toLowerCase())) return false;
  return !rule.resourceGroups || rule.resourceGroups.some((re) => re.test(t.resourceGroup));
}

function grants(rule: CompiledRule, action: PolicyAction): boolean {
  return !rule.actions || rule.actions.has(action);
}

/** Absent selector: anyone. Present: the value must be known and listed (an anonymous caller matches no list). */
function among(set: Set<string> | undefined, value: string | undefined): boolean {
  if (!set) return true;
  return value !== undefined && set.has(value);
}

function baseConversationId(id: string): string {
  const cut = id.indexOf(';');
  return cut === -1 ? id : id.slice(0, cut);
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.()\\^$|?+[\]{}-]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'i');
}

function describeActions(rule: CompiledRule): string {
  return rule.actions ? [...rule.actions].map((a) => `"${a}"`).join(', ') : 'everything';
}

function formatPath(path: (string | number)[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}
