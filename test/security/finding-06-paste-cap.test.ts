import { cardText, startHarness } from '../conversation/helpers/bot-harness';
import { startedForSuite } from '../helpers/started';

// Finding 6 (the bot's side): one 20 kB paste stalled the event loop for everyone. Pasted text is now cut to
// AIB_MAX_PASTE_CHARS (its end, where errors are) before any rule or regex reads it, and the card says so.

const h = startedForSuite(() => startHarness({ env: { AIB_MAX_PASTE_CHARS: '5000' } }));

test('30,000 backslashes are cut to the cap and answered with a card that says so', async () => {
  const paste = `${'\\'.repeat(30_000)}\n##[error]Packer build failed: exit status 1`;
  const r = await h.ask(paste);
  const text = cardText(r.cards[0]);
  expect(text).toContain(`Your message had ${paste.length} characters; I read only the last 5000`);
});

test('a paste under the cap is read whole, with no note', async () => {
  const r = await h.ask('##[error]Packer build failed: exit status 1\nsome more output\nand more');
  expect(cardText(r.cards[0])).not.toContain('characters; I read only the last');
});
