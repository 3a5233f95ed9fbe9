import { completeRecreate, resumeRecreates } from '../../src/bot/handlers/recreate-record';
import { recreatedBody } from '../../src/usecases/template-edits';
import { failedTemplate, fakeBot, idOf } from './helpers/fake-bot';

// A recreate that a previous process left between its delete and its create is finished at start-up; one that
// stopped before the delete is dropped, because nothing was changed.

test('a template deleted but not created again is created from the saved definition', async () => {
  const original = failedTemplate('win2022-lost');
  const bot = fakeBot({ templates: [] });
  const state = bot.services.actions!.state;
  const changes = [{ field: 'buildTimeoutInMinutes', before: '60', after: '120' }];
  await state.saveRecreate({
    templateId: idOf('win2022-lost'),
    action: 'recreate-larger-timeout',
    stage: 'deleted',
    body: recreatedBody(original, changes) as never,
    original: original as never,
    changes,
    startedAt: new Date().toISOString(),
    conversation: {},
    locale: 'en',
  });
  expect(await resumeRecreates(bot.services)).toBe(1);
  await bot.idle();
  expect(bot.templates.calls).toEqual(['create win2022-lost']);
  expect((bot.templates.store.get(idOf('win2022-lost').toLowerCase()) as any).buildTimeoutInMinutes).toBe(120);
  expect(await state.recreates()).toEqual([]);
});

test('a recreate that stopped before deleting is dropped and the template left alone', async () => {
  const bot = fakeBot();
  const state = bot.services.actions!.state;
  await state.saveRecreate({ templateId: idOf('win2022-base'), action: 'recreate-larger-vm', stage: 'saved', body: {}, original: {}, changes: [], startedAt: new Date().toISOString(), conversation: {}, locale: 'en' });
  await resumeRecreates(bot.services);
  await bot.idle();
  expect(bot.templates.calls).toEqual([]);
  expect(await state.recreates()).toEqual([]);
});

test('a recreate whose card Teams refuses to update still counts as done: not failed, no rejection', async () => {
  const original = failedTemplate('win2022-refused');
  const bot = fakeBot({ templates: [] });
  const changes = [{ field: 'buildTimeoutInMinutes', before: '60', after: '120' }];
  const rec = { templateId: idOf('win2022-refused'), action: 'recreate-larger-timeout' as const, stage: 'deleted' as const, body: recreatedBody(original, changes) as never, original: original as never, changes, startedAt: new Date().toISOString(), conversation: {}, locale: 'en' };
  const audits: string[] = [];
  const done = await completeRecreate(bot.services, rec, {
    update: async () => {
      throw Object.assign(new Error('Too Many Requests'), { statusCode: 429 });
    },
    audit: async (result) => void audits.push(result),
  });
  expect(done).toBe(true);
  expect(audits).toEqual(['succeeded']);
  expect(bot.templates.calls).toEqual(['create win2022-refused']);
});
