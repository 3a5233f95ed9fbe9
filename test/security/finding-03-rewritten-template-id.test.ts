import { t } from '../../src/i18n';
import { ALICE, cardText, startHarness } from '../conversation/helpers/bot-harness';
import { cardClicks, id, SUB } from '../conversation/helpers/card-clicks';
import { policyFile } from './policy-file';
import { startedForSuite } from '../helpers/started';

// Finding 3: the policy saw the subscription in the card data while the gateway acted on the served one, so `*`
// granted on another subscription deleted the served template; spaces and case changed the claim key and defeated
// double-click protection. Now the id is parsed once into a canonical value on the served subscription.

const OTHER = '99999999-0000-4000-8000-000000000001';
const rewritten = (name: string) => id(name).replace(SUB, OTHER);

describe('a policy granting everything on another subscription only', () => {
  const h = startedForSuite(async () => {
    const ACTION_POLICY = policyFile({ version: 1, default: 'read-only', rules: [{ users: [ALICE.aadObjectId], subscriptions: [OTHER], actions: '*' }] });
    return startHarness({ env: { ACTION_POLICY } });
  });

  test('delete + confirm with the subscription rewritten is refused and deletes nothing', async () => {
    const name = 'win2019-minimal';
    const ask = await h.answer('delete-template', { templateId: rewritten(name) });
    expect(cardText(ask.value)).toContain(t('en', 'card.error.foreign-subscription.title'));
    const confirm = await h.invoke('confirm-delete-template', { templateId: rewritten(name), pendingId: 'anything' });
    expect(cardText(confirm.body.value)).toContain(t('en', 'card.error.foreign-subscription.title'));
    await h.app.idle();
    expect((await fetch(`${h.app.sandbox!.armEndpoint}${id(name)}?api-version=2025-10-01`)).status).toBe(200);
  });

  test('the real id is checked against the served subscription, where nothing was granted', async () => {
    const ask = await h.answer('delete-template', { templateId: id('win2019-minimal') });
    expect(cardText(ask.value)).toContain(t('en', 'actions.outcome.denied.heading'));
  });
});

describe('spaces and case in the id', () => {
  const h = startedForSuite(() => startHarness());
  const { auditFor } = cardClicks(() => h);

  test('two rerun clicks whose ids differ only in spaces and case start one build', async () => {
    const name = 'ubuntu2204-nightly-01';
    const variants = [`  ${id(name)}`, id(name).replace('resourceGroups/aib-sandbox', 'resourcegroups/AIB-SANDBOX').replace(name, name.toUpperCase())];
    const answers = await Promise.all(variants.map((templateId) => h.answer('rerun', { templateId })));
    const texts = answers.map((a) => cardText(a.value));
    // Both answers name the template as ARM spells it, whichever spelling the card used.
    const started = texts.filter((x) => x.includes(t('en', 'actions.progress.run.heading', { name, state: t('en', 'actions.subState.Queued') })));
    expect(started).toHaveLength(1);
    await h.app.idle();
    // One canonical target in the audit trail: the intent and the success of the one build.
    const records = await auditFor(id(name));
    expect(records.filter((r) => r.result === 'succeeded')).toHaveLength(1);
    expect(records.filter((r) => r.result === 'requested')).toHaveLength(1);
  });

  test('a card id with a foreign subscription never reaches Azure, whatever the verb', async () => {
    for (const verb of ['rerun', 'cancel-run', 'grant-permissions', 'open-support-case', 'recreate-larger-timeout']) {
      const r = await h.answer(verb, { templateId: rewritten('ubuntu2204-ok') });
      expect(cardText(r.value)).toContain(t('en', 'card.error.foreign-subscription.title'));
    }
  });
});
