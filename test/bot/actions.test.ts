import { claimKey } from '../../src/bot/guards/claim-once';
import { t } from '../../src/i18n';
import { allInputs, button, cardActions, cardText } from './helpers/card-reading';
import { ALICE, BOB } from './helpers/fake-bot';
import { id } from './helpers/seeded-azure';
import { seededBotSuite } from './helpers/seeded-bot-suite';

// Card actions on the fake channel over the seeded scenarios in memory (moved from test/conversation/actions.test.ts,
// which keeps one delete → confirm → deleted over HTTP): confirm, cancel, double clicks, stale cards, targets
// changing underneath, Azure errors. Every click is an adaptiveCard/action invoke on the card it came from.

const { azure, bot } = seededBotSuite();
let conversation = 0;
afterEach(() => {
  azure.faults.length = 0;
});

interface At {
  conversationId: string;
  card: any;
}

async function diagnosisCardOf(name: string, user = ALICE): Promise<At> {
  const conversationId = `a:actions-${++conversation}`;
  const [card] = await bot.say(`why did template ${name} fail?`, user, conversationId);
  return { conversationId, card };
}

/** What the person sees after the click: the card that replaced the clicked one, or the card answering below it. */
async function click(verb: string, data: unknown, at: Pick<At, 'conversationId'>, user = ALICE): Promise<any> {
  return (await bot.answer(verb, data, user, at.conversationId)).value;
}

const exists = (name: string, rg = 'aib-sandbox') => azure.store.get(rg, name) !== undefined;
const auditFor = (target: string) => bot.audit.records.filter((r) => r.target === target);
const lastUpdate = () => bot.updates.at(-1)!.attachments![0].content;

describe('delete-template', () => {
  test('asks for confirmation naming the template, its group and what goes with it; Confirm deletes; the card says who and when', async () => {
    const at = await diagnosisCardOf('ubuntu2204-api');
    const confirmation = await click('delete-template', button(at.card, 'delete-template').data, at);
    const text = cardText(confirmation);
    expect(text).toContain(t('en', 'actions.confirm.delete-template.heading', { name: 'ubuntu2204-api' }));
    expect(text).toContain('aib-sandbox');
    expect(text).toMatch(/IT_aib-sandbox_ubuntu2204-api/);
    expect(exists('ubuntu2204-api')).toBe(true); // nothing done yet

    const working = await click('confirm-delete-template', button(confirmation, 'confirm-delete-template').data, at);
    expect(cardText(working)).toContain(t('en', 'actions.working.delete-template', { name: 'ubuntu2204-api' }));
    await bot.idle();
    expect(cardText(lastUpdate())).toContain(t('en', 'actions.outcome.deleted.heading', { name: 'ubuntu2204-api' }));
    expect(cardText(lastUpdate())).toContain('Alice Example');
    expect(exists('ubuntu2204-api')).toBe(false);

    const audit = auditFor(id('ubuntu2204-api'));
    expect(audit.map((a) => a.result)).toEqual(['requested', 'confirmed', 'succeeded']);
    expect(audit.every((a) => a.user.aadObjectId === ALICE.aadObjectId && a.conversationId === at.conversationId && a.action === 'delete-template')).toBe(true);
  });

  test('the confirmation is a new reply, Cancel answers on it: the diagnosis card stays, nothing is deleted', async () => {
    const at = await diagnosisCardOf('ubuntu2204-web');
    const asked = await bot.press('delete-template', button(at.card, 'delete-template').data, ALICE, at.conversationId);
    expect(asked.body).toMatchObject({ type: 'application/vnd.microsoft.activity.message', value: t('en', 'actions.answeredBelow') });
    const confirmation = asked.sent.find((a) => a.type === 'message' && a.attachments?.length)!.attachments![0].content;
    const dismissed = await bot.click('dismiss-delete-template', button(confirmation, 'dismiss-delete-template').data, ALICE, at.conversationId);
    // Cancel replaces its own confirmation (a card answer), with a line saying nothing changed; no diagnosis twice.
    expect(dismissed.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(dismissed.value)).toContain(t('en', 'actions.outcome.dismissed.heading', { name: 'ubuntu2204-web', action: t('en', 'action.delete-template') }));
    expect(cardText(dismissed.value)).not.toContain(t('en', 'card.diagnosis.heading', { name: 'ubuntu2204-web' }));
    expect(exists('ubuntu2204-web')).toBe(true);
    expect(auditFor(id('ubuntu2204-web')).map((a) => a.result)).toEqual(['requested', 'dismissed']);
  });

  test('a double click on Confirm deletes once; the second click is told it was already handled', async () => {
    const at = await diagnosisCardOf('win2019-iis');
    const confirmation = await click('delete-template', button(at.card, 'delete-template').data, at);
    const data = button(confirmation, 'confirm-delete-template').data;
    const [a, b] = await Promise.all([click('confirm-delete-template', data, at), click('confirm-delete-template', data, at)]);
    expect([a, b].map(cardText).filter((x) => x.includes(t('en', 'actions.working.delete-template', { name: 'win2019-iis' })))).toHaveLength(1);
    await bot.idle();
    const results = auditFor(id('win2019-iis')).map((r) => r.result);
    expect(results.filter((r) => r === 'succeeded')).toHaveLength(1);
    expect(results.filter((r) => r === 'confirmed')).toHaveLength(1);
    expect(azure.calls.filter((c) => c === 'delete win2019-iis')).toHaveLength(1);
  });

  test('two people confirming at once: exactly one deletion, the other is told who did it', async () => {
    const at = await diagnosisCardOf('win2019-sql');
    const alice = await click('delete-template', button(at.card, 'delete-template').data, at, ALICE);
    const bob = await click('delete-template', button(at.card, 'delete-template').data, at, BOB);
    const [ra, rb] = await Promise.all([
      click('confirm-delete-template', button(alice, 'confirm-delete-template').data, at, ALICE),
      click('confirm-delete-template', button(bob, 'confirm-delete-template').data, at, BOB),
    ]);
    const loser = [ra, rb].map(cardText).find((x) => x.includes(t('en', 'actions.outcome.duplicate.heading')));
    expect(loser).toBeDefined();
    expect(loser).toMatch(/Alice Example|Bob Example/);
    await bot.idle();
    const results = auditFor(id('win2019-sql')).map((r) => r.result);
    expect(results.filter((r) => r === 'succeeded')).toHaveLength(1);
    expect(results.filter((r) => r === 'duplicate')).toHaveLength(1);
  });

  test('a stale card: the template changed since the confirmation was shown → nothing is deleted', async () => {
    const at = await diagnosisCardOf('ubuntu2204-gpu');
    const confirmation = await click('delete-template', button(at.card, 'delete-template').data, at);
    // Someone starts a build from elsewhere (the portal) after the card was shown.
    azure.startBuildElsewhere('ubuntu2204-gpu');
    const answer = await click('confirm-delete-template', button(confirmation, 'confirm-delete-template').data, at);
    expect(cardText(answer)).toContain(t('en', 'actions.outcome.stale.heading'));
    expect(exists('ubuntu2204-gpu')).toBe(true);
    expect(auditFor(id('ubuntu2204-gpu')).map((a) => a.result)).toContain('stale');
  });

  test('a confirmation clicked after the template is gone says so', async () => {
    const at = await diagnosisCardOf('ubuntu2204-smoke');
    const confirmation = await click('delete-template', button(at.card, 'delete-template').data, at);
    azure.removeElsewhere('ubuntu2204-smoke');
    const answer = await click('confirm-delete-template', button(confirmation, 'confirm-delete-template').data, at);
    expect(cardText(answer)).toContain(t('en', 'actions.outcome.gone.heading', { name: 'ubuntu2204-smoke' }));
  });

  test('Azure refusing the delete (403) → the card says so; the template stays', async () => {
    const at = await diagnosisCardOf('win2022-cis-policy');
    const confirmation = await click('delete-template', button(at.card, 'delete-template').data, at);
    azure.faults.push({ surface: 'arm', method: 'DELETE', nameIncludes: 'win2022-cis-policy', status: 403 });
    await click('confirm-delete-template', button(confirmation, 'confirm-delete-template').data, at);
    await bot.idle();
    expect(cardText(lastUpdate())).toContain(t('en', 'actions.outcome.failed.heading', { action: t('en', 'action.delete-template'), name: 'win2022-cis-policy' }));
    expect(cardText(lastUpdate())).toMatch(/forbidden|Authorization/i);
    expect(exists('win2022-cis-policy')).toBe(true);
    expect(auditFor(id('win2022-cis-policy')).map((a) => a.result)).toContain('failed');
  });

  test('Azure throttling (429) or down (503) when asking → an actionable card, nothing pending', async () => {
    const at = await diagnosisCardOf('win2022-vnet');
    for (const [status, title] of [[429, 'card.error.throttled.title'], [503, 'card.error.service-unavailable.title']] as const) {
      azure.faults.push({ surface: 'arm', method: 'GET', nameIncludes: 'win2022-vnet', status, retryAfterSeconds: 90 });
      expect(cardText(await click('delete-template', button(at.card, 'delete-template').data, at))).toContain(t('en', title));
      azure.faults.length = 0;
    }
    expect(azure.calls.filter((c) => c.endsWith('win2022-vnet'))).toEqual([]);
  });

  test('a conflict (409) from Azure is reported, not retried blindly', async () => {
    const at = await diagnosisCardOf('win2022-isolated');
    const confirmation = await click('delete-template', button(at.card, 'delete-template').data, at);
    azure.faults.push({ surface: 'arm', method: 'DELETE', nameIncludes: 'win2022-isolated', status: 409, code: 'OperationNotAllowed' });
    await click('confirm-delete-template', button(confirmation, 'confirm-delete-template').data, at);
    await bot.idle();
    expect(cardText(lastUpdate())).toMatch(/OperationNotAllowed|operation-not-allowed|conflict/i);
    expect(exists('win2022-isolated')).toBe(true);
  });

  test('Action.Submit from older clients works too (a message carrying the verb)', async () => {
    const at = await diagnosisCardOf('win2022-global');
    const sent = await bot.send({ type: 'message', value: { ...button(at.card, 'delete-template').data, verb: 'delete-template' } }, ALICE, at.conversationId);
    const cards = sent.filter((a) => a.attachments?.length).map((a) => cardText(a.attachments![0].content));
    expect(cards.filter((c) => c.includes(t('en', 'actions.confirm.delete-template.heading', { name: 'win2022-global' })))).toHaveLength(1);
  });
});

describe('recreate with a larger timeout / VM', () => {
  test('shows exactly what changes, then deletes and creates the template with it', async () => {
    const name = 'ubuntu2204-devtools';
    const before: any = await azure.gateways.templates.get('aib-sandbox', name);
    const at = await diagnosisCardOf(name);
    const confirmation = await click('recreate-larger-timeout', { templateId: id(name), diagnosisId: 'build-timeout' }, at);
    const timeout = before.buildTimeoutInMinutes ?? 0;
    const expected = String(Math.min(960, Math.max((timeout || 240) * 2, 60)));
    expect(cardText(confirmation)).toContain('buildTimeoutInMinutes');
    expect(cardText(confirmation)).toContain(`${timeout} → ${expected}`);
    await click('confirm-recreate-larger-timeout', button(confirmation, 'confirm-recreate-larger-timeout').data, at);
    await bot.idle();
    expect(cardText(lastUpdate())).toContain(t('en', 'actions.outcome.recreated.heading', { name }));
    const after: any = await azure.gateways.templates.get('aib-sandbox', name);
    expect(after.buildTimeoutInMinutes).toBe(Number(expected));
    expect(after.source).toEqual(before.source);
  });

  test('a definition Image Builder would refuse is caught before anything is deleted', async () => {
    const name = 'ubuntu2204-devtools-nodist';
    const original = azure.store.get('aib-sandbox', 'ubuntu2204-devtools')!;
    // A template whose distribute list was emptied outside Teams: a PUT of it would be refused after the delete.
    azure.store.add({ ...original, name, properties: { ...original.properties, distribute: [] } });
    const at = await diagnosisCardOf(name);
    const answer = await click('recreate-larger-timeout', { templateId: id(name), diagnosisId: 'build-timeout' }, at);
    expect(cardText(answer)).toContain(t('en', 'actions.outcome.not-resubmittable.heading', { name }));
    expect(cardText(answer)).toContain('distribute: at least one target is required');
    expect(exists(name)).toBe(true);
    expect(azure.calls.filter((c) => c.startsWith('delete') && c.endsWith(name))).toEqual([]);
  });

  test('a larger VM goes one size up', async () => {
    const at = await diagnosisCardOf('win2019-minimal');
    const confirmation = await click('recreate-larger-vm', button(at.card, 'recreate-larger-vm').data, at);
    expect(cardText(confirmation)).toMatch(/vmProfile\.vmSize\n.*→ Standard_D\d+ds_v4/);
  });
});

describe('every confirmed action shares the same guards', () => {
  test.each(['recreate-larger-vm', 'recreate-larger-timeout'] as const)('%s: a stale confirmation does nothing', async (verb) => {
    const name = verb === 'recreate-larger-vm' ? 'win2022-appbundle' : 'ubuntu2204-nightly-07';
    const at = await diagnosisCardOf(name);
    const confirmation = await click(verb, { templateId: id(name) }, at);
    azure.startBuildElsewhere(name);
    const answer = await click(`confirm-${verb}`, button(confirmation, `confirm-${verb}`).data, at);
    expect(cardText(answer)).toContain(t('en', 'actions.outcome.stale.heading'));
    expect(auditFor(id(name)).map((a) => a.result)).toEqual(['requested', 'stale']);
    expect(azure.calls.filter((c) => c.endsWith(name))).toEqual([]);
  });

  test('a larger VM: a double click resizes once', async () => {
    const at = await diagnosisCardOf('win2019-from-managed');
    const confirmation = await click('recreate-larger-vm', { templateId: id('win2019-from-managed') }, at);
    const data = button(confirmation, 'confirm-recreate-larger-vm').data;
    await Promise.all([click('confirm-recreate-larger-vm', data, at), click('confirm-recreate-larger-vm', data, at)]);
    await bot.idle();
    expect(auditFor(id('win2019-from-managed')).map((r) => r.result).filter((r) => r === 'succeeded')).toHaveLength(1);
    // A PATCH of vmProfile in place since API 2024-02-01: nothing is deleted.
    expect(azure.calls.filter((c) => c.endsWith('win2019-from-managed'))).toEqual(['update win2019-from-managed']);
    expect(((await azure.gateways.templates.get('aib-sandbox', 'win2019-from-managed')) as any).vmProfile.vmSize).toMatch(/^Standard_D\d+ds_v4$/);
  });

  test('rerun: Azure refusing the run (403) → an error card naming the missing permission, no build started', async () => {
    azure.faults.push({ surface: 'arm', method: 'POST', nameIncludes: 'win2022-from-sig', status: 403 });
    expect(cardText((await bot.answer('rerun', { templateId: id('win2022-from-sig') })).value)).toMatch(/run\/action|permission|not allowed/i);
    azure.faults.length = 0;
    expect((await azure.gateways.templates.get('aib-sandbox', 'win2022-from-sig')).lastRunStatus!.runState).toBe('Failed');
  });

  test('rerun: throttled (429) → when to try again, no build started', async () => {
    azure.faults.push({ surface: 'arm', method: 'POST', nameIncludes: 'win2022-from-sig', status: 429, retryAfterSeconds: 120 });
    expect(cardText((await bot.answer('rerun', { templateId: id('win2022-from-sig') })).value)).toContain(t('en', 'card.error.throttled.title'));
    expect(azure.calls.filter((c) => c.endsWith('win2022-from-sig'))).toEqual([]);
  });
});

describe('a crashed process', () => {
  test('a delete claimed hours ago by a process that died does not block a new confirmation', async () => {
    const name = 'win2022-cis-policy';
    const at = await diagnosisCardOf(name);
    const before = await azure.gateways.templates.get('aib-sandbox', name);
    const snapshot = { provisioningState: before.provisioningState, runStartTime: new Date(before.lastRunStatus!.startTime!).toISOString() };
    const stale = { key: claimKey('delete-template', id(name), snapshot), action: 'delete-template', templateId: id(name), by: { name: 'Carol (crashed)' }, at: new Date(Date.now() - 3 * 3600_000).toISOString(), status: 'running' as const };
    await bot.services.actions!.claims.claim(stale);
    const confirmation = await click('delete-template', button(at.card, 'delete-template').data, at);
    const answer = await click('confirm-delete-template', button(confirmation, 'confirm-delete-template').data, at);
    expect(cardText(answer)).toContain(t('en', 'actions.working.delete-template', { name }));
    await bot.idle();
    expect(exists(name)).toBe(false);
  });
});

describe('support case', () => {
  test('opens a prefilled form, and submitting it (portal mode) gives a link and a copy-ready text', async () => {
    const at = await diagnosisCardOf('ubuntu2204-cis');
    const opened = await bot.answer('open-support-case', button(at.card, 'open-support-case').data, ALICE, at.conversationId);
    // The form is a new reply: the diagnosis card it was opened from stays as it was.
    expect(opened.inReply).toBe(true);
    const form = opened.value;
    expect(JSON.stringify(form)).toContain(id('ubuntu2204-cis'));
    expect(JSON.stringify(form)).toContain('Azure Image Builder');
    const submit = cardActions(form).find((a) => a.verb === 'confirm-open-support-case')!;
    // The client merges the form's inputs into the action's data.
    const inputs = Object.fromEntries(allInputs(form).map((i) => [i.id, i.value ?? '']));
    const result = await click('confirm-open-support-case', { ...submit.data, ...inputs, supportEmail: 'alice@contoso.example' }, at);
    expect(JSON.stringify(result)).toContain('portal.azure.com');
    expect(JSON.stringify(result)).not.toMatch(/sig=/);
  });

  test('in a channel thread the form is a reply in that thread; dismissing it leaves both cards and says nothing was sent', async () => {
    const thread = '19:images@thread.tacv2;messageid=1764671000000';
    const data = { templateId: id('ubuntu2204-cis'), diagnosisId: 'customizer-failed' };
    const { body, sent } = await bot.press('open-support-case', data, ALICE, thread);
    expect(body.type).toBe('application/vnd.microsoft.activity.message');
    const form = sent.find((a) => a.type === 'message' && a.attachments?.length)!;
    expect(form.conversation!.id).toBe(thread);
    expect(cardActions(form.attachments![0].content).some((a) => a.verb === 'confirm-open-support-case')).toBe(true);
    const dismissed = await bot.press('dismiss-open-support-case', data, ALICE, thread);
    expect(dismissed.body).toMatchObject({ type: 'application/vnd.microsoft.activity.message', value: t('en', 'actions.supportDismissed') });
    expect(dismissed.sent.filter((a) => a.type === 'message')).toEqual([]);
    await bot.idle();
    expect(bot.updates).toEqual([]);
  });

  test('dismissing the form of a pasted-text diagnosis says nothing was sent', async () => {
    const answer = await bot.click('dismiss-open-support-case', { diagnosisId: 'devops-task-canceled' });
    expect(answer).toMatchObject({ type: 'application/vnd.microsoft.activity.message', value: t('en', 'actions.supportDismissed') });
  });
});
