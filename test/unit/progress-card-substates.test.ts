import { runProgressCard } from '../../src/cards/action-cards';
import { t } from '../../src/i18n';
import { cardText } from '../bot/helpers/card-reading';

// Issue 13 item 4 on the progress card: Optimizing and Validating appear once the service reports them, in the
// reader's language, with the steps before them ticked; a template that has neither never shows them.

const template = { name: 'ubuntu2404-validating', resourceGroup: 'aib-sandbox', id: '/subscriptions/s/resourceGroups/aib-sandbox/providers/Microsoft.VirtualMachineImages/imageTemplates/ubuntu2404-validating' };
const base = { template, runState: 'Running', startedBy: 'Ana', startedAt: '2026-12-02T17:00:00Z' };

test.each(['en', 'it-IT', 'ja-JP'] as const)('%s: a run in Validating after Optimizing shows both steps, Validating current', (locale) => {
  const text = cardText(runProgressCard({ ...base, runSubState: 'Validating', seen: ['Building', 'Customizing', 'Optimizing', 'Validating'] }, locale));
  expect(text).toContain(t(locale, 'actions.subState.Optimizing'));
  expect(text).toContain(t(locale, 'actions.progress.run.heading', { name: template.name, state: t(locale, 'actions.subState.Validating') }));
});

test('a template without optimize or validate never shows those steps', () => {
  const text = cardText(runProgressCard({ ...base, runSubState: 'Distributing', seen: ['Building', 'Customizing', 'Distributing'] }, 'en'));
  expect(text).not.toContain(t('en', 'actions.subState.Optimizing'));
  expect(text).not.toContain(t('en', 'actions.subState.Validating'));
  expect(text).toContain(t('en', 'actions.subState.Distributing'));
});
