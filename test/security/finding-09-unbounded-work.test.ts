import { t } from '../../src/i18n';
import { cardText, startHarness } from '../conversation/helpers/bot-harness';
import { startedForSuite } from '../helpers/started';

// Finding 9 (the bot's side): each unknown name listed the whole subscription, and one conversation could keep the
// bot busy for everyone. Now a per-conversation rate limit answers with a friendly card, and unknown names are
// answered from the last listing for a minute.

const h = startedForSuite(() => startHarness({ env: { RATE_LIMIT_PER_MINUTE: '4' } }));

test('the fifth message of a conversation within a minute is asked to wait; another conversation is not', async () => {
  const first = await h.ask('help');
  for (let i = 0; i < 3; i++) await h.ask('help', { conversationId: first.conversationId });
  const fifth = await h.ask('help', { conversationId: first.conversationId });
  const text = cardText(fifth.cards.at(-1));
  expect(text).toContain(t('en', 'card.error.rate-limited.title'));
  expect(text).toMatch(/Try again in \d+ s\./);
  const other = await h.ask('help');
  expect(cardText(other.cards[0])).toContain(t('en', 'card.help.heading'));
});

test('a stream of unknown names costs one listing, not one each', async () => {
  const sb = h.app.sandbox!;
  await h.ask('why did template warm-up-the-index fail?');
  sb.faults.clear();
  sb.faults.add({ target: 'arm', method: 'GET', pathIncludes: '/providers/Microsoft.VirtualMachineImages/imageTemplates', latencyMs: 0 });
  const before = sb.faults.hits();
  for (const name of ['no-such-1', 'no-such-2', 'no-such-3']) {
    const r = await h.ask(`why did template ${name} fail?`);
    expect(cardText(r.cards[0])).toContain(t('en', 'card.error.template-not-found.title'));
  }
  expect(sb.faults.hits() - before).toBe(0);
  sb.faults.clear();
});
