import { classify, scanText, templateFacts } from '../../src/diagnosis';
import { t, type Locale } from '../../src/i18n';
import { CONFIRM_SUPPORT_VERB, DISMISS_SUPPORT_VERB, OPEN_SUPPORT_VERB, supportCaseCard, supportResultCard } from '../../src/cards/support-card';
import type { CardAttachment } from '../../src/cards/bind';
import { buildSupportPrefill, readSupportForm, submitSupportCase, type SupportPrefill, type SupportResult } from '../../src/usecases/support-case';
import type { TemplateDiagnosis } from '../../src/usecases/diagnose-template';
import en from '../../locales/en.json';
import { cardElements, type CardObject } from '../bot/helpers/card-reading';

// The form card and the result card, read back the way Teams would use them: which inputs exist, what they hold,
// which are required, what the buttons send. Plus the guarantees every card has (no SAS, no unbound field, size).

const LOCALES: Locale[] = ['en', 'ja-JP', 'zh-CN', 'fr-FR', 'pt-BR', 'it-IT'];
const TEAMS_CARD_LIMIT = 28 * 1024;
const SUB = '3f2b6a1e-9c41-4d7a-8e0b-5a6c7d8e9f01';
const TEMPLATE_ID = `/subscriptions/${SUB}/resourceGroups/rg-images/providers/Microsoft.VirtualMachineImages/imageTemplates/win2022-base`;

type Obj = CardObject;
const inputs = (card: Obj) => cardElements(card).filter((e) => String(e.type).startsWith('Input.'));
const input = (card: Obj, id: string) => inputs(card).find((i) => i.id === id);
const actions = (card: Obj) => cardElements(card).filter((e) => String(e.type).startsWith('Action.'));
const facts = (card: Obj) => cardElements(card).filter((e) => e.type === 'FactSet').flatMap((e) => e.facts as Array<{ title: string; value: string }>);
const texts = (card: Obj) => cardElements(card).filter((e) => e.type === 'TextBlock').map((e) => String(e.text));

function checked(a: CardAttachment): Obj {
  expect(a.contentType).toBe('application/vnd.microsoft.card.adaptive');
  const card = a.content;
  const json = JSON.stringify(card);
  expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5', msteams: { width: 'Full' } });
  expect(json).not.toContain('${');
  expect(json).not.toMatch(/sig=/i);
  expect(Buffer.byteLength(json)).toBeLessThan(TEAMS_CARD_LIMIT);
  for (const a of actions(card)) expect(String(a.title).trim()).not.toBe('');
  return card;
}

function diagnosed(source?: object): TemplateDiagnosis {
  const template = {
    id: TEMPLATE_ID,
    name: 'win2022-base',
    properties: {
      ...(source === undefined ? { source: { type: 'PlatformImage', publisher: 'MicrosoftWindowsServer', offer: 'WindowsServer', sku: '2022-datacenter' } } : source),
      customize: [{ type: 'PowerShell', name: 'install-agent' }],
      provisioningState: 'Succeeded',
      lastRunStatus: {
        runState: 'Failed',
        runSubState: 'Customizing',
        startTime: '2026-11-20T10:00:07Z',
        endTime: '2026-11-20T10:42:37Z',
        message:
          'Packer build command has failed: exit status 1. Image Build log location: https://q7x2lmn4p0rstuvw8yz1ab3c.blob.core.windows.net/packerlogs/0b8c6f1e-2d3a-4e5f-9a7b-1c2d3e4f5a6b/customization.log?sv=1&sig=Secret%3D. OperationId: 45f485cf-5a8c-4379-9937-8d85493bc791.',
      },
    },
  };
  const facts = templateFacts(template);
  const log = scanText("[r] PACKER OUT azure-arm: Cannot find any service with service name 'WindowsAzureGuestAgent'.\n", 'log');
  return { template: template as never, facts, diagnosis: classify({ template: facts, log }), log: { partial: false }, failed: true };
}

const prefillFor = (locale: Locale, source?: object): SupportPrefill =>
  buildSupportPrefill({ source: diagnosed(source), diagnosisId: 'diag-1', locale });

const FIELD_IDS = [
  'supportTitle',
  'supportDescription',
  'supportSeverity',
  'supportFirstName',
  'supportLastName',
  'supportEmail',
  'supportContactMethod',
  'supportPhone',
  'supportTimeZone',
  'supportCountry',
  'supportLanguage',
];

describe('support case form card', () => {
  test.each(LOCALES)('%s: every field, prefilled, with the two buttons', (locale) => {
    const prefill = prefillFor(locale);
    const card = checked(supportCaseCard(prefill, locale));
    expect(inputs(card).map((i) => i.id)).toEqual(FIELD_IDS);
    expect(input(card, 'supportTitle')).toMatchObject({ value: prefill.title, maxLength: 140, isRequired: true });
    expect(input(card, 'supportDescription')).toMatchObject({ value: prefill.description, isMultiline: true, isRequired: true });
    expect(input(card, 'supportSeverity')).toMatchObject({ value: 'minimal', isRequired: true });
    expect((input(card, 'supportSeverity')!.choices as Obj[]).map((c) => c.value)).toEqual(['minimal', 'moderate', 'critical', 'highestcriticalimpact']);
    expect(input(card, 'supportContactMethod')).toMatchObject({ value: 'email' });
    expect(input(card, 'supportLanguage')!.value).toBe(locale === 'en' ? 'en-US' : locale);
    for (const i of inputs(card)) expect(String(i.label).trim()).not.toBe('');

    const [confirm, dismiss] = actions(card);
    expect(confirm).toMatchObject({ type: 'Action.Execute', verb: CONFIRM_SUPPORT_VERB, associatedInputs: 'auto' });
    expect(confirm.data).toEqual({ templateId: TEMPLATE_ID, diagnosisId: 'diag-1' });
    expect(dismiss).toMatchObject({ type: 'Action.Execute', verb: DISMISS_SUPPORT_VERB, associatedInputs: 'none' });
    expect(dismiss.data).toEqual({ templateId: TEMPLATE_ID, diagnosisId: 'diag-1' });
    // Older clients get an Action.Submit that carries the verb in its data.
    expect((confirm.fallback as Obj).data).toEqual({ templateId: TEMPLATE_ID, diagnosisId: 'diag-1', verb: CONFIRM_SUPPORT_VERB });
  });

  test('facts show product family, product, topic and subtopic', () => {
    const card = checked(supportCaseCard(prefillFor('en'), 'en'));
    expect(facts(card)).toEqual([
      { title: 'Product family', value: 'Azure' },
      { title: 'Product', value: 'Virtual Machine running Windows' },
      { title: 'Support topic', value: 'Azure Features' },
      { title: 'Subtopic', value: 'Azure Image Builder' },
      { title: 'Image template', value: 'win2022-base (rg-images)' },
    ]);
  });

  test('api mode asks the contact details (required, the phone never is); portal mode asks only title, description and severity', () => {
    const api = checked(supportCaseCard(prefillFor('en'), 'en', { mode: 'api' }));
    const portal = checked(supportCaseCard(prefillFor('en'), 'en', { mode: 'portal' }));
    for (const id of ['supportFirstName', 'supportLastName', 'supportEmail', 'supportTimeZone', 'supportCountry', 'supportLanguage']) {
      expect([id, input(api, id)!.isRequired]).toEqual([id, true]);
    }
    expect(inputs(portal).map((i) => i.id)).toEqual(['supportTitle', 'supportDescription', 'supportSeverity']);
    expect(texts(portal)).toContain(t('en', 'support.form.introPortal'));
    expect(input(api, 'supportPhone')!.isRequired).toBe(false);
    expect(input(api, 'supportEmail')!.style).toBe('email');
  });

  test('time zone and country are choice sets of the values the support API takes, country names in the card language', () => {
    const card = checked(supportCaseCard(prefillFor('fr-FR'), 'fr-FR', { mode: 'api' }));
    const zone = input(card, 'supportTimeZone')!;
    const country = input(card, 'supportCountry')!;
    expect(zone.type).toBe('Input.ChoiceSet');
    expect(country.type).toBe('Input.ChoiceSet');
    expect((zone.choices as Obj[]).map((c) => c.value)).toContain('W. Europe Standard Time');
    expect(country.choices as Obj[]).toContainEqual({ title: 'Allemagne', value: 'DEU' });
  });

  test('severities are labelled distinctly in every language', () => {
    for (const locale of LOCALES) {
      const labels = (input(checked(supportCaseCard(prefillFor(locale), locale)), 'supportSeverity')!.choices as Obj[]).map((c) => String(c.title));
      expect(new Set(labels).size).toBe(4);
      expect(new Set(labels.map((l) => l.split(' ')[0])).size).toBe(4);
    }
  });

  test('an unknown operating system is asked, a known one is not', () => {
    expect(input(checked(supportCaseCard(prefillFor('en'), 'en')), 'supportProduct')).toBeUndefined();
    const unknown = checked(supportCaseCard(prefillFor('en', {}), 'en'));
    const product = input(unknown, 'supportProduct')!;
    expect(product).toMatchObject({ type: 'Input.ChoiceSet', isRequired: true, value: '' });
    expect((product.choices as Obj[]).map((c) => c.value)).toEqual(['windows', 'linux']);
    expect(facts(unknown).map((f) => f.title)).not.toContain('Product');
  });

  test('shown again after an invalid answer: the answers stay and the fields to fix are named', async () => {
    const prefill = prefillFor('en');
    const data = { supportTitle: 'My own title', supportDescription: 'Mine', supportSeverity: 'critical', supportFirstName: 'Ada', supportCountry: 'gb' };
    const result = await submitSupportCase(prefill, data, { mode: 'api' });
    if (result.kind !== 'invalid') throw new Error(`expected invalid, got ${result.kind}`);
    const card = checked(supportCaseCard(prefill, 'en', { retry: { form: result.form, fields: result.fields } }));
    expect(input(card, 'supportTitle')!.value).toBe('My own title');
    expect(input(card, 'supportSeverity')!.value).toBe('critical');
    expect(input(card, 'supportFirstName')!.value).toBe('Ada');
    expect(texts(card)).toContain(`${t('en', 'support.form.needEmail')} Please check: Last name, Time zone, Country, Support language`);
    // The language choice falls back to the locale's so the second attempt needs one click less.
    expect(input(card, 'supportLanguage')!.value).toBe('en-US');
  });

  test('the inputs read back give the prefill', () => {
    const prefill = prefillFor('en');
    const card = checked(supportCaseCard(prefill, 'en'));
    const data = Object.fromEntries(inputs(card).map((i) => [i.id, i.value]));
    expect(readSupportForm(data)).toMatchObject({ title: prefill.title, description: prefill.description, severity: 'minimal', language: 'en-US' });
  });
});

describe('support result card', () => {
  const base = { templateId: TEMPLATE_ID, diagnosisId: 'diag-1' };
  const created: SupportResult = {
    ...base,
    kind: 'created',
    manageUrl: 'https://portal.azure.com/#blade/Microsoft_Azure_Support/HelpAndSupportBlade/managesupportrequest',
    ticket: {
      ticketNumber: '2611200010000001',
      name: 'aib-win2022-base-diag-1',
      id: `/subscriptions/${SUB}/providers/Microsoft.Support/supportTickets/aib-win2022-base-diag-1`,
      title: 'Azure Image Builder: win2022-base failed',
      severity: 'minimal',
      status: 'Open',
      serviceDisplayName: 'Virtual Machine running Windows',
      problemClassificationDisplayName: 'Azure Features / Azure Image Builder',
      createdDate: '2026-11-20T11:00:00.000Z',
      reused: false,
    },
  };

  test.each(LOCALES)('%s: created shows the number, the problem type and a portal button', (locale) => {
    const card = checked(supportResultCard(created, locale));
    expect(texts(card)[0]).toContain('2611200010000001');
    expect(facts(card).map((f) => f.value)).toEqual(
      expect.arrayContaining(['2611200010000001', 'Virtual Machine running Windows', 'Azure Features / Azure Image Builder', 'Open', '2026-11-20 11:00 UTC']),
    );
    const [open] = actions(card);
    expect(open).toMatchObject({ type: 'Action.OpenUrl', url: created.kind === 'created' ? created.manageUrl : '' });
  });

  test('a reused ticket says so', () => {
    const reused = { ...created, ticket: { ...(created as Extract<SupportResult, { kind: 'created' }>).ticket, reused: true } } as SupportResult;
    const card = checked(supportResultCard(reused, 'en'));
    expect(texts(card)[0]).toBe(en.support.result.reusedHeading.replace('{number}', '2611200010000001'));
    expect(texts(card)).toContain(en.support.result.reusedText);
  });

  test.each(LOCALES)('%s: portal mode gives the link and the copy-ready text', async (locale) => {
    const prefill = prefillFor(locale);
    const r = await submitSupportCase(prefill, { supportTitle: prefill.title, supportDescription: prefill.description, supportSeverity: 'minimal' }, { mode: 'portal' });
    if (r.kind !== 'portal') throw new Error(`expected portal, got ${r.kind}`);
    const card = checked(supportResultCard(r, locale));
    expect(actions(card)).toEqual([expect.objectContaining({ type: 'Action.OpenUrl', url: r.portal.url })]);
    const copy = input(card, 'supportCopy')!;
    expect(copy).toMatchObject({ type: 'Input.Text', isMultiline: true, value: r.portal.copyText });
    expect(String(copy.value)).toContain(prefill.title);
    expect(String(copy.value)).toContain(TEMPLATE_ID);
  });

  test.each(LOCALES)('%s: forbidden names the role, and offers the portal instead', (locale) => {
    const r: SupportResult = {
      ...base,
      kind: 'failed',
      error: { code: 'forbidden', message: 'x', requiredRole: 'Support Request Contributor' },
      portal: { url: 'https://portal.azure.com/#create/Microsoft.Support/Parameters/%7B%7D', product: 'windows', title: 't', description: 'd', severity: 'minimal', copyText: 'copy me' },
    };
    const card = checked(supportResultCard(r, locale));
    expect(texts(card).some((t) => t.includes('Support Request Contributor'))).toBe(true);
    expect(input(card, 'supportCopy')!.value).toBe('copy me');
    expect(actions(card)[0]).toMatchObject({ type: 'Action.OpenUrl' });
  });

  test('a refused request quotes what Azure said', () => {
    const r: SupportResult = { ...base, kind: 'failed', error: { code: 'invalid-request', message: 'm', detail: "The field 'contactDetails.country' is invalid." } };
    const card = checked(supportResultCard(r, 'en'));
    expect(texts(card)).toContain("Azure refused the case: The field 'contactDetails.country' is invalid.");
    expect(input(card, 'supportCopy')).toBeUndefined();
  });

  test('invalid offers the form again', () => {
    const r: SupportResult = { ...base, kind: 'invalid', fields: ['email', 'country'], form: readSupportForm({}) };
    const card = checked(supportResultCard(r, 'fr-FR'));
    expect(texts(card)).toContain('Vérifiez : E-mail, Pays');
    expect(actions(card)[0]).toMatchObject({ type: 'Action.Execute', verb: OPEN_SUPPORT_VERB, data: base });
  });
});
