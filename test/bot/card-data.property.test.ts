import fc from 'fast-check';
import { t } from '../../src/i18n';
import { cardText } from './helpers/card-reading';
import { BOB, fakeBot, idOf, SUB } from './helpers/fake-bot';

// Every verb's card data is untrusted: random, forged and oversized `data` objects (and non-objects) must get a
// typed answer — never a thrown turn, never the "internal error" card — and must never echo a secret back.

const SECRET = 'Pr0pS3cretValue';
const secrets = [`sig=${SECRET}`, `https://acct.blob.core.windows.net/c/b?sv=2024&sig=${SECRET}`, `AccountKey=${SECRET}`];

const forgedId = fc.oneof(
  fc.constantFrom(idOf('win2022-base'), `  ${idOf('WIN2022-BASE', 'RG-IMAGES')}  `, idOf('ubuntu2204-api'), idOf('missing-one'), idOf('win2022-base', 'rg-images', '99999999-0000-4000-8000-000000000001')),
  fc.constantFrom(...secrets).map((s) => `/subscriptions/${SUB}/resourceGroups/rg-images/providers/Microsoft.VirtualMachineImages/imageTemplates/${s}`),
  fc.string({ maxLength: 300 }),
  fc.string({ minLength: 5000, maxLength: 20000 }),
  fc.anything(),
);
const text = fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom(...secrets), fc.anything());

const data = fc.oneof(
  fc.record(
    {
      templateId: forgedId,
      name: text,
      resourceGroup: text,
      diagnosisId: text,
      pendingId: text,
      supportTitle: text,
      supportDescription: text,
      supportSeverity: fc.oneof(fc.constantFrom('minimal', 'moderate', 'critical', 'highestcriticalimpact'), text),
      supportEmail: text,
      verb: text,
    },
    { requiredKeys: [] },
  ),
  fc.dictionary(fc.string({ maxLength: 20 }), fc.anything(), { maxKeys: 8 }),
  fc.anything(),
);

test('every verb answers random, forged and oversized card data with a typed answer and no secret', async () => {
  const bot = fakeBot();
  const verbs = bot.router.registeredVerbs();
  const internal = t('en', 'card.error.internal.title');
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...verbs), data, fc.boolean(), async (verb, d, asBob) => {
      const body = await bot.click(verb, d, asBob ? BOB : undefined, 'a:fuzz');
      expect(body).toBeDefined();
      expect(['application/vnd.microsoft.card.adaptive', 'application/vnd.microsoft.activity.message']).toContain(body.type);
      if (body.type === 'application/vnd.microsoft.card.adaptive') expect(cardText(body.value)).not.toContain(internal);
      expect(JSON.stringify(body)).not.toContain(SECRET);
    }),
    { seed: 20261202, numRuns: 400 },
  );
  await bot.idle();
  expect(JSON.stringify(bot.updates)).not.toContain(SECRET);
});
