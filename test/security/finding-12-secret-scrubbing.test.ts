import { redactSecrets, AzureGatewayError } from '../../src/azure/errors';
import { scrub } from '../../src/cards/text';
import { bindCard } from '../../src/cards/bind';
import { redact, redactDeep } from '../../src/diagnosis/redact';
import { createLogger } from '../../src/logger';
import { noSecrets } from '../../src/usecases/support-case';
import { cardText, startHarness } from '../conversation/helpers/bot-harness';
import { startedForSuite } from '../helpers/started';

// Finding 12: five scrubbers with different rules let Bearer tokens, JWTs, `user:pass@` URLs, `password=` and
// `sig%3D` through to cards. The attack pastes an error full of credentials into the bot and reads the card; the
// module half checks every exit (cards, logs, audit scrub, errors, support text) applies the same rules.

/** Each credential as it appears in the wild, and the part of it that must never come out again. */
const SECRETS: Array<{ kind: string; text: string; secret: string }> = [
  { kind: 'SAS query', text: 'https://st1.blob.core.windows.net/packerlogs/x/customization.log?sv=2022-11-02&se=2030-01-01&sp=r&sig=Q2FsbGVkU2VjcmV0U2ln%3D', secret: 'Q2FsbGVkU2VjcmV0U2ln' },
  { kind: 'URL-encoded SAS', text: 'redirect=https%3A%2F%2Fst1.blob.core.windows.net%2Fc%2Fb%3Fsv%3D1%26sig%3DZW5jb2RlZFNpZ25hdHVyZQ%253D%253D%26se%3D2030', secret: 'ZW5jb2RlZFNpZ25hdHVyZQ' },
  { kind: 'empty sig=', text: 'uploaded to https://st1.blob.core.windows.net/c/b?sv=1&sig=&se=2030 ok', secret: 'sig=' },
  { kind: 'Bearer token', text: 'Authorization: Bearer ya29.QmVhcmVyVG9rZW5WYWx1ZQ-_~', secret: 'QmVhcmVyVG9rZW5WYWx1ZQ' },
  { kind: 'bare JWT', text: 'token eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJodHRwczovL21hbmFnZW1lbnQifQ.c2lnbmF0dXJlcGFydA rejected', secret: 'c2lnbmF0dXJlcGFydA' },
  { kind: 'user:pass@ URL', text: 'git clone https://builder:UHJpdmF0ZVBhc3M@dev.azure.com/org/repo.git failed', secret: 'UHJpdmF0ZVBhc3M' },
  { kind: 'password=', text: 'net use Z: \\\\fs1\\share password=SHVudGVyMlBhc3M /persistent:no', secret: 'SHVudGVyMlBhc3M' },
  { kind: 'pwd=', text: 'Server=tcp:sql1;Database=db;User Id=sa;Pwd=UHdkVmFsdWU1;Encrypt=true', secret: 'UHdkVmFsdWU1' },
  { kind: 'secret= (JSON)', text: '{"clientId":"0f9e","clientSecret":"Q2xpZW50U2VjcmV0VmFs"}', secret: 'Q2xpZW50U2VjcmV0VmFs' },
  { kind: 'connection string', text: 'DefaultEndpointsProtocol=https;AccountName=st1;AccountKey=QWNjb3VudEtleVZhbHVl+/Zz==;EndpointSuffix=core.windows.net', secret: 'QWNjb3VudEtleVZhbHVl' },
  { kind: 'bare account key', text: `key ${'QmFyZUFjY291bnRLZXk'.repeat(5).slice(0, 86)}== leaked`, secret: 'QmFyZUFjY291bnRLZXk' },
  { kind: 'Entra client secret', text: 'az login --service-principal -u 0f9e -p abc8Q~Q2xpZW50U2VjcmV0U2hhcGVk0123456789ab --tenant t', secret: 'Q2xpZW50U2VjcmV0U2hhcGVk' },
];

const EXITS: Array<[string, (s: string) => string]> = [
  ['redact (diagnosis, logs)', redact],
  ['scrub (cards)', scrub],
  ['redactSecrets (Azure errors)', redactSecrets],
  ['noSecrets (support tickets)', noSecrets],
  ['AzureGatewayError message', (s) => new AzureGatewayError('unexpected', s, { serviceMessage: s }).message],
  ['redactDeep (audit records, card data)', (s) => JSON.stringify(redactDeep({ detail: s, parameters: { nested: [s] } }))],
  [
    'logger line',
    (s) => {
      let line = '';
      createLogger('debug', (l) => (line += l)).error(s, { error: s, clientSecret: 'not-even-this' });
      expect(line).not.toContain('not-even-this');
      expect(() => JSON.parse(line)).not.toThrow();
      return line;
    },
  ],
];

describe('finding 12: one redaction for every exit', () => {
  describe.each(EXITS)('%s', (_, exit) => {
    test.each(SECRETS)('removes a $kind', ({ text, secret }) => {
      const out = exit(text);
      expect(out).not.toContain(secret);
      expect(out).toMatch(/\[(SAS )?redacted\]/);
    });
  });

  test('a card built from a template keeps no credential anywhere, action data included', () => {
    const payload = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: '${line}' }], actions: [{ type: 'Action.Execute', verb: 'x', data: { url: '${line}' } }] };
    for (const { text, secret } of SECRETS) expect(JSON.stringify(bindCard('finding-12', payload, { line: text }).content)).not.toContain(secret);
  });

  test('ordinary text passes untouched', () => {
    for (const text of ['a bearer token over http', 'Basic_A1 VM size, basic tier', 'tokenValidation: off', 'secretName=kv-1', 'https://host:443/a@b', 'sysprep took 00:12:30']) {
      expect(redact(text)).toBe(text);
    }
  });

  test('credential-named fields are dropped whole, whatever they hold', () => {
    expect(redactDeep({ sasUrl: 'https://x/y', MicrosoftAppPassword: 'p', password: 12345, roleAssignments: ['r1'] })).toEqual({
      sasUrl: '[redacted]',
      MicrosoftAppPassword: '[redacted]',
      password: '[redacted]',
      roleAssignments: ['r1'],
    });
  });
});

describe('finding 12 over HTTP: a paste full of credentials', () => {
  const h = startedForSuite(() => startHarness());

  // The download error quotes what it tried to fetch, and the card quotes the error: the credential rides along.
  test.each(SECRETS)('a pasted download error quoting a $kind: the card quotes the error, not the credential', async ({ text, secret }) => {
    const paste =
      `Deployment failed. Correlation ID: 2c4e6a8c-0e2a-4c6e-8a0c-2e4a6c8e0a3b. Downloading external file (${text}) to local file ` +
      `(c07d2e4b.2.customizer.fp) [attempt 1 of 10] failed: Error downloading '${text}' to 'c07d2e4b.2.customizer.fp'..`;
    const { cards } = await h.ask(paste);
    expect(cardText(cards[0])).toContain('Downloading external file (');
    expect(JSON.stringify(cards[0])).not.toContain(secret);
  });
});
