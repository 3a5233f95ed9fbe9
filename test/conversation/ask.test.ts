import { catalogText, t } from '../../src/i18n';
import { cardActions, cardText, startHarness, type Harness } from './helpers/bot-harness';

// The bot over HTTP against its embedded sandbox; replies read from the capture server.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

// The intents in every language, names, bad input and the blob/ARM refusals run on the fake channel over the
// seeded scenarios in memory (test/bot/ask.test.ts). Kept here, end to end: one question → diagnosis card over
// HTTP, Azure's 429/503 as real HTTP answers through the SDK's retry policy, and the server's probes.

test('why did X fail → the diagnosis card, after a typing indicator, with the catalog’s buttons', async () => {
  const { conversationId, cards } = await h.ask('why did template win2019-minimal fail?');
  const text = cardText(cards[0]);
  expect(text).toContain(catalogText('en', 'sysprep-timing').title);
  expect(text).toContain("Cannot find any service with service name 'WindowsAzureGuestAgent'");
  expect(cardActions(cards[0]).map((a) => a.verb)).toEqual(expect.arrayContaining(['recreate-larger-vm', 'show-log']));
  const mine = h.capture.received.filter((c) => c.conversationId === conversationId);
  expect(mine[0].activity.type).toBe('typing');
});

describe('Azure faults over HTTP', () => {
  test('Azure answering 429 → a throttling card saying when to retry, nothing lost', async () => {
    h.app.sandbox!.faults.add({ target: 'arm', status: 429, retryAfterSeconds: 120, times: 50 });
    try {
      const { cards } = await h.ask('status of win2019-minimal');
      const text = cardText(cards[0]);
      expect(text).toContain(t('en', 'card.error.throttled.title'));
      expect(text).toContain('120');
    } finally {
      h.app.sandbox!.faults.clear();
    }
    const { cards } = await h.ask('status of win2019-minimal');
    expect(cardText(cards[0])).toContain(t('en', 'card.status.heading', { name: 'win2019-minimal' }));
  });

  test('Azure answering 503 → a service-unavailable card', async () => {
    h.app.sandbox!.faults.add({ target: 'arm', status: 503, times: 50 });
    try {
      const { cards } = await h.ask('status of win2019-minimal');
      expect(cardText(cards[0])).toContain(t('en', 'card.error.service-unavailable.title'));
    } finally {
      h.app.sandbox!.faults.clear();
    }
  });
});

describe('server', () => {
  test('/healthz and /readyz', async () => {
    expect((await fetch(`${h.app.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${h.app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', mode: 'sandbox' });
  });

  test('/readyz says not ready when Azure is down', async () => {
    h.app.sandbox!.faults.add({ target: 'arm', status: 503, times: 50 });
    try {
      expect((await fetch(`${h.app.url}/readyz`)).status).toBe(503);
    } finally {
      h.app.sandbox!.faults.clear();
    }
  });
});
