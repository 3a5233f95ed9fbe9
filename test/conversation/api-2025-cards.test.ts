import { t } from '../../src/i18n';
import { cardText, startHarness, type Harness } from './helpers/bot-harness';

// Issue 13, the status and diagnosis cards over /api/messages with the sandbox as Azure (real SDKs against the emulator): a
// partial success names the target that failed and why; the Validating sub-state is in the reader's language; a
// disabled trigger is listed with what re-enables it; an isolated build points at its live-log container; a
// kept build VM offers its cleanup.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

// The question is asked in the card's language: a reply follows the language the question was written in (issue 16).
const QUESTION: Record<string, (name: string) => string> = { 'en-US': (n) => `status of ${n}`, 'ja-JP': (n) => `${n} のステータス` };
const statusOf = async (name: string, locale = 'en-US') => cardText((await h.ask(QUESTION[locale](name), { locale })).cards[0]);

test('PartiallySucceeded names the failed distribution target and the ARM reason', async () => {
  const text = await statusOf('ubuntu2204-multi-target');
  expect(text).toContain(t('en', 'card.status.statePartial'));
  expect(text).toContain("ubuntu2204-multi-mi — ResourceGroupNotFound: Resource group 'images-legacy' could not be found.");
});

test('a run in Validating shows the sub-state in Japanese', async () => {
  const text = await statusOf('ubuntu2404-validating', 'ja-JP');
  expect(text).toContain(t('ja-JP', 'card.state.Validating'));
  expect(text).toContain(t('ja-JP', 'card.validation.validators'));
  expect(text).toContain('smoke-test · continueDistributeOnFailure true · sourceValidationOnly false');
});

test('the disabled trigger is listed with what enables it again; the isolated build names its container', async () => {
  const nightly = await statusOf('ubuntu2204-nightly');
  expect(nightly).toContain('source-image-updates (Disabled)');
  expect(nightly).toContain('A successful manual build enables it again');
  const isolated = await statusOf('win2022-isolated-running');
  expect(isolated).toMatch(/vmimagebuilder-build-container-[a-z0-9-]+/);
});

test('a build VM kept by errorHandling abort is named with its group, and the card offers the cleanup', async () => {
  const r = await h.ask('status of win2022-abort-debug');
  expect(cardText(r.cards[0])).toContain(t('en', 'card.status.api.keptLabel'));
  expect(JSON.stringify(r.cards[0])).toContain('"verb":"cleanup-staging"');
});

test('the diagnosis card of a failed validation names the validator and explains the two validate switches', async () => {
  const card = (await h.ask('why did template ubuntu2404-validated fail?')).cards[0];
  const text = cardText(card);
  expect(text).toContain(t('en', 'catalog.validation-failed.title'));
  expect(text).toContain(t('en', 'card.validation.validatorNamed', { type: 'Shell', name: 'check-cis-score', index: 2 }));
  expect(text).toContain(t('en', 'card.validation.continueFalse'));
  expect(text).toContain(t('en', 'card.validation.sourceOnlyFalse'));
  expect(text).toContain('FAILED 5.2.4 Ensure SSH access is limited');
});

test('the diagnosis card of a disabled trigger says a manual build enables it again and offers rerun', async () => {
  const card = (await h.ask('why did template ubuntu2204-nightly fail?')).cards[0];
  const text = cardText(card);
  expect(text).toContain(t('en', 'catalog.trigger-disabled.title'));
  expect(text).toContain(t('en', 'catalog.trigger-disabled.fix.1'));
  expect(JSON.stringify(card)).toContain('"verb":"rerun"');
  // The failed builds' cause stays on the card: the failing customizer.
  expect(text).toContain('install-agent');
});

describe('gallery distribution on the diagnosis card (issue 13 items 4 and 5)', () => {
  const why = async (name: string) => cardText((await h.ask(`why did template ${name} fail?`)).cards[0]);

  test('a replication timeout names the regions still replicating', async () => {
    const text = await why('win2022-replicating');
    expect(text).toContain(t('en', 'catalog.gallery-replication-timeout.title'));
    expect(text).toContain(t('en', 'distribution.replicating', { version: '1.0.4207', regions: 'brazilsouth (62 %), japaneast (35 %)' }));
  });

  test('replication that finished after Image Builder stopped waiting is said so', async () => {
    expect(await why('ubuntu2204-replicated-late')).toContain(t('en', 'distribution.finishedLate', { version: '1.0.3311' }));
  });

  test('a failed region is named with its reason', async () => {
    const text = await why('ubuntu2204-region-failed');
    expect(text).toContain('australiaeast');
    expect(text).toContain("quota of Standard_LRS snapshots in australiaeast is exhausted");
  });

  test('a PartiallySucceeded diagnosis names the failed distribution target and why', async () => {
    const text = await why('ubuntu2204-multi-target');
    expect(text).toContain(t('en', 'distribution.failedTarget', { name: 'ubuntu2204-multi-mi', reason: '' }).trimEnd());
    expect(text).toContain('ResourceGroupNotFound');
  });
});
