import type { Activity } from 'botbuilder';
import { SupportError, type SupportGateway } from '../../src/azure/support';
import { t } from '../../src/i18n';
import { allInputs, button, cardText } from './helpers/card-reading';
import { ALICE, fakeBot, idOf, type FakeBot } from './helpers/fake-bot';

// Issue 16, the support form as a Teams user meets it: portal mode asks three things; API mode prefills the time
// zone and the country from the client's clientInfo entity as choices, refuses an email contact without an email
// in plain words, prefills the email from the Teams roster when the roster gives a real one, and whatever the
// person typed, contact details included, reaches the copy text.

const CLIENT_INFO = { type: 'clientInfo', locale: 'de-DE', country: 'DE', platform: 'Web', timezone: 'Europe/Berlin' };

let bot: FakeBot;
beforeEach(() => {
  bot = fakeBot();
});

function useMode(mode: 'portal' | 'api'): void {
  (bot.services as { support: { mode: string } }).support = { mode };
}

/**
 * The card a click answers with. Opening the form answers in a new reply (the diagnosis it was clicked on stays, the
 * click is only acknowledged), so the form is read from that reply; submitting answers on the form itself.
 */
async function click(verb: string, data: unknown, entities: unknown[] = [CLIENT_INFO]): Promise<any> {
  const sent = await bot.send({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' }, replyToId: 'card-1', entities } as Partial<Activity>);
  const body = (sent.find((a) => a.type === 'invokeResponse')?.value as { body: { type: string; value: any } }).body;
  if (body.type !== 'application/vnd.microsoft.activity.message') return body.value;
  expect(body.value).toBe(t('en', 'actions.answeredBelow'));
  const reply = sent.find((a) => a.type === 'message' && a.attachments?.length);
  return reply?.attachments![0].content;
}

const valuesOf = (card: unknown) => Object.fromEntries(allInputs(card).map((i) => [i.id, i.value ?? '']));

test('portal mode asks only the title, the description and the severity', async () => {
  useMode('portal');
  const form = await click('open-support-case', { templateId: idOf('win2022-base') });
  expect(allInputs(form).map((i) => i.id)).toEqual(['supportTitle', 'supportDescription', 'supportSeverity']);
});

test('API mode prefills the time zone and the country from clientInfo, as choices', async () => {
  useMode('api');
  const form = await click('open-support-case', { templateId: idOf('win2022-base') });
  const zone = allInputs(form).find((i) => i.id === 'supportTimeZone') as any;
  const country = allInputs(form).find((i) => i.id === 'supportCountry') as any;
  expect(zone).toMatchObject({ type: 'Input.ChoiceSet', value: 'W. Europe Standard Time' });
  expect(country).toMatchObject({ type: 'Input.ChoiceSet', value: 'DEU' });
  expect(valuesOf(form).supportFirstName).toBe('Alice');
});

test('a client that reports a zone the form does not offer leaves the choice for the person to make', async () => {
  useMode('api');
  const form = await click('open-support-case', { templateId: idOf('win2022-base') }, [{ ...CLIENT_INFO, timezone: 'Mars/Olympus_Mons', country: 'ZZ' }]);
  expect(valuesOf(form).supportTimeZone).toBe('');
  expect(valuesOf(form).supportCountry).toBe('');
});

test('forged clientInfo (oversized, wrong types) prefills nothing and breaks nothing', async () => {
  useMode('api');
  const form = await click('open-support-case', { templateId: idOf('win2022-base') }, [{ type: 'clientInfo', timezone: 'x'.repeat(100_000), country: { $gt: '' } }]);
  expect(valuesOf(form).supportTimeZone).toBe('');
  expect(valuesOf(form).supportCountry).toBe('');
});

test('contact by email with no email is refused with a sentence that says so, answers kept', async () => {
  useMode('api');
  const form = await click('open-support-case', { templateId: idOf('win2022-base') });
  const submit = button(form, 'confirm-open-support-case');
  const again = await click('confirm-open-support-case', { ...submit.data, ...valuesOf(form), supportLastName: 'Example', supportEmail: '', supportContactMethod: 'email' });
  expect(cardText(again)).toContain(t('en', 'support.form.needEmail'));
  expect(valuesOf(again).supportTimeZone).toBe('W. Europe Standard Time');
  expect(bot.audit.records.map((r) => r.result)).not.toContain('succeeded');
});

test('contact by phone with no number is refused the same way', async () => {
  useMode('api');
  const form = await click('open-support-case', { templateId: idOf('win2022-base') });
  const submit = button(form, 'confirm-open-support-case');
  const again = await click('confirm-open-support-case', { ...submit.data, ...valuesOf(form), supportLastName: 'Example', supportEmail: 'alice@contoso.example', supportContactMethod: 'phone', supportPhone: '' });
  expect(cardText(again)).toContain(t('en', 'support.form.needPhone'));
});

test('the copy text carries every field the person typed', async () => {
  useMode('portal');
  const form = await click('open-support-case', { templateId: idOf('win2022-base') });
  const submit = button(form, 'confirm-open-support-case');
  const result = await click('confirm-open-support-case', { ...submit.data, supportTitle: 'Nightly image broke', supportDescription: 'It broke at step 3', supportSeverity: 'moderate' });
  const copy = cardText(result);
  expect(copy).toContain(`${t('en', 'support.form.title')}: Nightly image broke`);
  expect(copy).toContain('It broke at step 3');
  expect(copy).toContain(`${t('en', 'support.form.severity')}: ${t('en', 'support.severity.moderate')}`);
});

test('API mode prefills the email the Teams roster gives for the person who clicked', async () => {
  const asked: Array<[string, string]> = [];
  bot = fakeBot({
    roster: async (conversationId, userId) => {
      asked.push([conversationId, userId]);
      return { id: userId, name: 'Alice Example', email: 'alice@contoso.example', userPrincipalName: 'alice@contoso.onmicrosoft.com' };
    },
  });
  useMode('api');
  const form = await click('open-support-case', { templateId: idOf('win2022-base') });
  expect(valuesOf(form).supportEmail).toBe('alice@contoso.example');
  expect(asked).toHaveLength(1);
  expect(asked[0][1]).toBe(ALICE.id);
});

test('a roster entry without an email falls back to the user principal name', async () => {
  bot = fakeBot({ roster: async (_c, userId) => ({ id: userId, userPrincipalName: 'alice@contoso.onmicrosoft.com' }) });
  useMode('api');
  const form = await click('open-support-case', { templateId: idOf('win2022-base') });
  expect(valuesOf(form).supportEmail).toBe('alice@contoso.onmicrosoft.com');
});

// A cut-down address can be someone else's (support would write to them), and a value with line breaks could
// smuggle lines into the copy text: anything that is not one whole, short address is left for the person to type.
test.each([
  ['oversized, so a cut would change the address', { email: `${'a'.repeat(100_000)}@contoso.example` }],
  ['just over the field length', { email: `${'a'.repeat(110)}@contoso.example` }],
  ['with lines after an address', { email: 'alice@contoso.example\nSeverity: Critical' }],
  ['an @ but no address', { email: 'call me @ the office' }],
  ['not a string', { email: { $gt: '' }, userPrincipalName: ['alice@contoso.example'] }],
  ['no member at all', null],
])('a forged roster answer (%s) prefills no email and the form still opens', async (_label, member) => {
  bot = fakeBot({ roster: async () => member });
  useMode('api');
  const form = await click('open-support-case', { templateId: idOf('win2022-base') });
  expect(valuesOf(form).supportEmail).toBe('');
  expect(valuesOf(form).supportFirstName).toBe('Alice');
});

test('a roster that refuses leaves the email empty', async () => {
  bot = fakeBot({ roster: async () => Promise.reject(new Error('403 from the connector')) });
  useMode('api');
  const form = await click('open-support-case', { templateId: idOf('win2022-base') });
  expect(valuesOf(form).supportEmail).toBe('');
});

test('in API mode the copy text carries every field the person typed, the contact fields too', async () => {
  // The API refuses the ticket: the copy text is what the person takes to the portal instead.
  const gateway = { createTicket: () => Promise.reject(new SupportError('forbidden', 'no', { status: 403, requiredRole: 'Support Request Contributor' })) } as unknown as SupportGateway;
  (bot.services as { support: unknown }).support = { mode: 'api', gateway };
  const form = await click('open-support-case', { templateId: idOf('win2022-base') });
  const submit = button(form, 'confirm-open-support-case');
  const typed = {
    supportTitle: 'Nightly image broke',
    supportDescription: 'It broke at step 3',
    supportSeverity: 'moderate',
    supportFirstName: 'Alicia',
    supportLastName: 'Exampleton',
    supportEmail: 'alicia@contoso.example',
    supportContactMethod: 'phone',
    supportPhone: '+49 30 1234567',
    supportTimeZone: 'Romance Standard Time',
    supportCountry: 'FRA',
  };
  const result = await click('confirm-open-support-case', { ...submit.data, ...valuesOf(form), ...typed });
  const copy = cardText(result);
  const F = (key: string) => t('en', `support.form.${key}`);
  expect(copy).toContain(t('en', 'support.result.fallback'));
  expect(copy).toContain(`${F('title')}: Nightly image broke`);
  expect(copy).toContain('It broke at step 3');
  expect(copy).toContain(`${F('severity')}: ${t('en', 'support.severity.moderate')}`);
  expect(copy).toContain(`${F('firstName')}: Alicia`);
  expect(copy).toContain(`${F('lastName')}: Exampleton`);
  expect(copy).toContain(`${F('email')}: alicia@contoso.example`);
  expect(copy).toContain(`${F('contactMethod')}: ${F('contactPhone')}`);
  expect(copy).toContain(`${F('phone')}: +49 30 1234567`);
  expect(copy).toContain(`${F('timeZone')}: Romance Standard Time`);
  expect(copy).toContain(`${F('country')}: FRA`);
  expect(copy).toContain(`${F('language')}: ${valuesOf(form).supportLanguage}`);
});
