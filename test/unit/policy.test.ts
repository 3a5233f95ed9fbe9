import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPolicy, parsePolicy, PolicyError, type PolicyAction, type PolicySubject, type PolicyTarget } from '../../src/bot/policy';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OTHER_TENANT = '11111111-2222-4333-8444-555555555555';
const SUB = '00000000-0000-4000-8000-00000000a1b0';
const OTHER_SUB = '99999999-0000-4000-8000-000000000001';
const ALICE = '6a1f0c3e-1b2d-4c5e-8f90-a1b2c3d4e5f6';
const BOB = 'b0b0b0b0-1b2d-4c5e-8f90-a1b2c3d4e5f6';
const TEAM = '19:platform@thread.tacv2';
const CHANNEL = '19:images@thread.tacv2';

const alice: PolicySubject = {
  tenantId: TENANT,
  teamId: TEAM,
  channelId: CHANNEL,
  conversationId: `${CHANNEL};messageid=1700000000000`,
  userAadObjectId: ALICE,
  userName: 'Alice',
};
const bob: PolicySubject = { ...alice, userAadObjectId: BOB, userName: 'Bob' };
const images: PolicyTarget = { subscriptionId: SUB, resourceGroup: 'rg-images' };

const platformPolicy = () =>
  parsePolicy(
    {
      version: 1,
      default: 'read-only',
      rules: [
        {
          description: 'platform team may do everything in the image RGs',
          tenants: [TENANT],
          teams: [TEAM],
          channels: [CHANNEL],
          users: [ALICE],
          subscriptions: [SUB],
          resourceGroups: ['rg-images', 'rg-images-*'],
          actions: ['read', 'delete-template', 'rerun', 'cancel-run', 'recreate-larger-timeout', 'recreate-larger-vm', 'open-support-case'],
        },
        { description: 'bob may rerun dev builds', users: [BOB], resourceGroups: ['*-dev'], actions: ['rerun'] },
      ],
    },
    'policy.json',
  );

describe('a rule grants when every selector it has matches', () => {
  const policy = platformPolicy();
  const cases: [string, PolicySubject, PolicyTarget, PolicyAction, boolean][] = [
    ['the listed user, in the listed channel, on the listed group', alice, images, 'delete-template', true],
    ['glob rg-images-* matches rg-images-linux', alice, { subscriptionId: SUB, resourceGroup: 'rg-images-linux' }, 'rerun', true],
    ['resource groups compare case-insensitively', alice, { subscriptionId: SUB, resourceGroup: 'RG-Images-Win' }, 'rerun', true],
    ['subscription ids compare case-insensitively', alice, { subscriptionId: SUB.toUpperCase(), resourceGroup: 'rg-images' }, 'cancel-run', true],
    ['glob does not match a different prefix', alice, { subscriptionId: SUB, resourceGroup: 'rg-imagesX' }, 'rerun', false],
    ['another subscription', alice, { subscriptionId: OTHER_SUB, resourceGroup: 'rg-images' }, 'rerun', false],
    ['another user', bob, images, 'delete-template', false],
    ['another tenant', { ...alice, tenantId: OTHER_TENANT }, images, 'delete-template', false],
    ['another team', { ...alice, teamId: '19:other@thread.tacv2' }, images, 'delete-template', false],
    ['another channel', { ...alice, channelId: '19:other@thread.tacv2', conversationId: '19:other@thread.tacv2;messageid=2' }, images, 'rerun', false],
    ['no tenant known while the rule lists tenants', { ...alice, tenantId: undefined }, images, 'rerun', false],
    ['no AAD id known while the rule lists users', { ...alice, userAadObjectId: undefined }, images, 'rerun', false],
    ['an action the rule does not list', alice, images, 'grant-permissions', false],
    ['second rule: bob reruns in a *-dev group', bob, { subscriptionId: OTHER_SUB, resourceGroup: 'aib-sandbox-dev' }, 'rerun', true],
    ['second rule grants only rerun', bob, { subscriptionId: SUB, resourceGroup: 'aib-sandbox-dev' }, 'delete-template', false],
  ];
  test.each(cases)('%s', (_name, subject, target, action, allowed) => {
    expect(policy.can(subject, target, action).allowed).toBe(allowed);
  });

  test('the reason names the rule that allowed, or why nothing did', () => {
    expect(policy.can(alice, images, 'rerun').reason).toContain('rule 0 ("platform team may do everything in the image RGs")');
    const denied = policy.can(bob, { subscriptionId: SUB, resourceGroup: 'aib-sandbox-dev' }, 'delete-template');
    expect(denied.reason).toContain('"delete-template"');
    expect(denied.reason).toContain('rule 1 ("bob may rerun dev builds") applies here but grants only "rerun"');
    expect(denied.reason).toContain('default is "read-only"');
  });

  test('a channel rule matches by conversation id too (threads and group chats have no channelId)', () => {
    const p = parsePolicy({ version: 1, default: 'deny', rules: [{ channels: ['19:groupchat@thread.v2'], actions: ['rerun'] }] }, 'p');
    expect(p.can({ conversationId: '19:groupchat@thread.v2' }, images, 'rerun').allowed).toBe(true);
    expect(p.can({ conversationId: '19:groupchat@thread.v2;messageid=5' }, images, 'rerun').allowed).toBe(true);
    expect(p.can({ conversationId: 'a:personal-chat' }, images, 'rerun').allowed).toBe(false);
  });

  test('user ids compare case-insensitively; team and channel ids exactly', () => {
    expect(policy.can({ ...alice, userAadObjectId: ALICE.toUpperCase() }, images, 'rerun').allowed).toBe(true);
    expect(policy.can({ ...alice, teamId: TEAM.toUpperCase() }, images, 'rerun').allowed).toBe(false);
  });
});

describe('defaults', () => {
  const subject: PolicySubject = { conversationId: 'a:1' };
  test.each([
    ['read-only', 'read', true],
    ['read-only', 'show-log', true],
    ['read-only', 'rerun', false],
    ['read-only', 'delete-template', false],
    ['deny', 'read', false],
    ['deny', 'show-log', false],
    ['all', 'delete-template', true],
    ['all', 'grant-permissions', true],
  ] as const)('default %s: %s → %s', (mode, action, allowed) => {
    const p = parsePolicy({ version: 1, default: mode, rules: [] }, 'p.json');
    const d = p.can(subject, images, action);
    expect(d.allowed).toBe(allowed);
    expect(d.reason).toContain(`"${mode}"`);
  });

  test('no "default" in the file means read-only', () => {
    const p = parsePolicy({ version: 1 }, 'p.json');
    expect(p.can(subject, images, 'read').allowed).toBe(true);
    expect(p.can(subject, images, 'rerun').allowed).toBe(false);
  });

  test('a deny default still lets a rule grant read', () => {
    const p = parsePolicy({ version: 1, default: 'deny', rules: [{ users: [ALICE], actions: ['read'] }] }, 'p.json');
    expect(p.can(alice, images, 'read').allowed).toBe(true);
    expect(p.can(alice, images, 'show-log').allowed).toBe(true);
    expect(p.can(bob, images, 'read').allowed).toBe(false);
  });

  test('actions "*" (string or list item) grant everything', () => {
    for (const actions of ['*', ['*']]) {
      const p = parsePolicy({ version: 1, default: 'deny', rules: [{ users: [ALICE], actions }] }, 'p.json');
      expect(p.can(alice, images, 'recreate-larger-vm').allowed).toBe(true);
      expect(p.can(bob, images, 'recreate-larger-vm').allowed).toBe(false);
    }
  });

  test('with no file: the configured default decides, and the summary says which', async () => {
    const all = await loadPolicy(undefined, 'all');
    expect(all.can(subject, images, 'delete-template').allowed).toBe(true);
    expect(all.summary).toMatch(/default "all" for everyone/);
    const readOnly = await loadPolicy(undefined, 'read-only');
    expect(readOnly.can(subject, images, 'delete-template').allowed).toBe(false);
    expect(readOnly.can(subject, images, 'read').allowed).toBe(true);
    expect(readOnly.summary).toMatch(/default "read-only" for everyone/);
  });
});

describe('malformed policies are refused with the path and the field', () => {
  const bad: [string, unknown, string][] = [
    ['not an object', 'hello', '(document)'],
    ['wrong version', { version: 2, rules: [] }, 'version'],
    ['unknown default', { version: 1, default: 'everyone' }, 'default'],
    ['unknown top-level field', { version: 1, rule: [] }, '(document)'],
    ['misspelt selector', { version: 1, rules: [{ resourcegroups: ['rg'], actions: ['read'] }] }, 'rules[0]'],
    ['unknown action', { version: 1, rules: [{ actions: ['read', 'delete'] }] }, 'rules[0].actions[1]'],
    ['no actions', { version: 1, rules: [{ users: [ALICE] }] }, 'rules[0].actions'],
    ['empty action list', { version: 1, rules: [{ actions: [] }] }, 'rules[0].actions'],
    ['empty selector list', { version: 1, rules: [{ users: [], actions: ['read'] }] }, 'rules[0].users'],
    ['user name instead of AAD object id', { version: 1, rules: [{ users: ['alice@contoso.com'], actions: ['read'] }] }, 'rules[0].users[0]'],
    ['bad resource group pattern', { version: 1, rules: [{ resourceGroups: ['rg/images'], actions: ['read'] }] }, 'rules[0].resourceGroups[0]'],
    ['selector that is not a list', { version: 1, rules: [{ tenants: TENANT, actions: ['read'] }] }, 'rules[0].tenants'],
  ];
  test.each(bad)('%s', (_name, doc, field) => {
    let error: unknown;
    try {
      parsePolicy(doc, '/etc/aib/policy.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolicyError);
    const e = error as PolicyError;
    expect(e.code).toBe('policy-invalid');
    expect(e.message.startsWith(`/etc/aib/policy.json: ${field}:`)).toBe(true);
  });

  test('an empty selector list is refused rather than read as "anyone" or "nobody"', () => {
    expect(() => parsePolicy({ version: 1, rules: [{ users: [], actions: ['read'] }] }, 'p')).toThrow('leave "users" out to match anyone');
  });

  test('the unknown-action message lists the valid ones', () => {
    expect(() => parsePolicy({ version: 1, rules: [{ actions: ['delete'] }] }, 'p')).toThrow(/unknown action "delete" \(use "\*" or "read", "delete-template"/);
  });
});

describe('loadPolicy reads the file named by ACTION_POLICY', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aib-policy-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('a valid file wins over the mode default, in the sandbox too', async () => {
    const path = join(dir, 'policy.json');
    await writeFile(path, JSON.stringify({ version: 1, default: 'deny', rules: [{ users: [ALICE], resourceGroups: ['rg-*'], actions: ['rerun'] }] }));
    const p = await loadPolicy(path, 'all');
    expect(p.source).toBe(path);
    expect(p.summary).toBe(`policy ${path}: 1 rule(s), default deny`);
    expect(p.can(alice, images, 'rerun').allowed).toBe(true);
    expect(p.can(alice, images, 'delete-template').allowed).toBe(false);
    expect(p.can(bob, images, 'read').allowed).toBe(false);
  });

  test('broken JSON is policy-invalid and names the file', async () => {
    const path = join(dir, 'broken.json');
    await writeFile(path, '{ "version": 1, ');
    await expect(loadPolicy(path, 'read-only')).rejects.toMatchObject({ code: 'policy-invalid', source: path, message: expect.stringContaining(`${path}: not valid JSON`) });
  });

  test('a missing file is policy-unreadable, never a silent default', async () => {
    const path = join(dir, 'absent.json');
    await expect(loadPolicy(path, 'all')).rejects.toMatchObject({ code: 'policy-unreadable', message: expect.stringContaining('no such file') });
  });
});
