import { forwardingTo } from '../../helpers/started';
import { fakeBot, type FakeBot } from './fake-bot';
import { seededAzure, type SeededAzure } from './seeded-azure';

// The action and run suites share one setup: the seeded scenarios loaded once, a fresh fake bot per test (so no
// pending confirmation or claim leaks between tests), and every turn's background work finished after each test.

export function seededBotSuite(): { azure: SeededAzure; bot: FakeBot } {
  let azure: SeededAzure | undefined;
  let bot: FakeBot | undefined;
  beforeAll(async () => {
    azure = await seededAzure();
  });
  beforeEach(() => {
    bot = fakeBot({ gateways: azure!.gateways, tailBytes: 256 * 1024, maxBytes: 512 * 1024 * 1024 });
  });
  afterEach(async () => {
    await bot?.idle();
  });
  return { azure: forwardingTo(() => azure, 'seededBotSuite azure'), bot: forwardingTo(() => bot, 'seededBotSuite bot') };
}
