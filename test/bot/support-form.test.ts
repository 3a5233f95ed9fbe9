import type { Activity } from 'botbuilder';
import { t } from '../../src/i18n';
import { allInputs, button, cardText } from './helpers/card-reading';
import { fakeBot, idOf, type FakeBot } from './helpers/fake-bot';

// Issue 16, the support form as a Teams user meets it: portal mode asks three things; API mode prefills the time
// zone and the country from the client's clientInfo entity as choices, refuses an email contact without an email
// in plain words, and whatever the person typed reaches the copy text.

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
