import { locateFromStatus, parseLogLocation } from '../../src/azure/build-logs';

const SUB = '00000000-0000-4000-8000-00000000a1b0';
const ACCT = 'xkzlyccln2x4qrzk8r60s8oc';
const FOLDER = 'ef6ba98d-2f3c-4a5e-9b1d-0c7e8f9a1b2c';
const STAGING = `IT_aib-sandbox_ubuntu-fails_${FOLDER}`;
const STAGING_ID = `/subscriptions/${SUB}/resourceGroups/${STAGING}`;

const urlMessage =
  'Failed while waiting for packerizer: Microservice has failed: Failed while processing request: Error when executing packerizer: ' +
  'Packer build command has failed: exit status 1. During the image build, a failure has occurred, please check the Image Build log ' +
  `for the reason: Image Build log location: https://${ACCT}.blob.core.windows.net/packerlogs/${FOLDER}/customization.log. ` +
  'OperationId: 5e819c65-767c-4722-96c5-15db701d34b1. Use this operationId to search packer logs.';

const armMessage =
  'During the image build a failure has occurred. Packer build logs are at location ' +
  `/subscriptions/${SUB}/resourceGroups/${STAGING}/providers/Microsoft.Storage/storageAccounts/${ACCT}/blobServices/default/containers/packerlogs/${FOLDER}/customization.log. ` +
  'Please navigate to this location using portal or other tools to download logs.';

/** Where both message formats point: the build's customization.log in the staging account's packerlogs. */
const customizationLog = (source: string, extra: Record<string, string> = {}) => ({
  account: ACCT,
  container: 'packerlogs',
  blobPath: `${FOLDER}/customization.log`,
  source,
  ...extra,
});

describe('parseLogLocation', () => {
  it('reads the https blob URL format, without the sentence-ending period', () => {
    expect(parseLogLocation(urlMessage)).toEqual(customizationLog('status-url'));
  });

  it('reads the ARM path format and keeps the staging group it names', () => {
    expect(parseLogLocation(armMessage)).toEqual(customizationLog('status-arm-path', { stagingResourceGroup: STAGING }));
  });

  it('ignores a SAS query on the URL and keeps none of it', () => {
    const loc = parseLogLocation(`log: https://${ACCT}.blob.core.windows.net/packerlogs/${FOLDER}/customization.log?sv=2022&sig=SECRET`);
    expect(loc?.blobPath).toBe(`${FOLDER}/customization.log`);
    expect(JSON.stringify(loc)).not.toContain('SECRET');
  });

  it('accepts validation.log and upper-case hosts', () => {
    const loc = parseLogLocation(`https://${ACCT.toUpperCase()}.BLOB.core.windows.net/packerlogs/${FOLDER}/validation.log`);
    expect(loc).toMatchObject({ account: ACCT, blobPath: `${FOLDER}/validation.log` });
  });

  it.each([
    ['another host', `https://evil.example.com/packerlogs/${FOLDER}/customization.log`],
    ['another container', `https://${ACCT}.blob.core.windows.net/otherlogs/${FOLDER}/customization.log`],
    ['a path that climbs', `https://${ACCT}.blob.core.windows.net/packerlogs/../x/customization.log`],
    ['a nested path', `https://${ACCT}.blob.core.windows.net/packerlogs/a/b/customization.log`],
    ['a dotted folder', `https://${ACCT}.blob.core.windows.net/packerlogs/a.b/customization.log`],
    ['another file', `https://${ACCT}.blob.core.windows.net/packerlogs/${FOLDER}/secrets.log`],
    ['a too long account', `https://${'a'.repeat(25)}.blob.core.windows.net/packerlogs/${FOLDER}/customization.log`],
    ['an account with a dash', `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/bad-acct/blobServices/default/containers/packerlogs/${FOLDER}/customization.log`],
    ['no location at all', 'Build (Managed Image) step failed: Error getting Managed Image'],
  ])('refuses %s', (_what, message) => {
    expect(parseLogLocation(message)).toBeUndefined();
  });

  it('takes the first location when a message holds both formats', () => {
    const both = `${armMessage} Older text: Image Build log location: https://zzzzzzzzzz.blob.core.windows.net/packerlogs/${FOLDER}/customization.log.`;
    expect(parseLogLocation(both)?.source).toBe('status-arm-path');
  });
});

describe('locateFromStatus', () => {
  it('prefers lastRunStatus and fills the staging group from exactStagingResourceGroup', () => {
    const loc = locateFromStatus({
      lastRunStatus: { message: urlMessage },
      provisioningError: { message: armMessage.replace(ACCT, 'otheraccount') },
      exactStagingResourceGroup: STAGING_ID,
    });
    expect(loc).toMatchObject({ account: ACCT, source: 'status-url', stagingResourceGroup: STAGING });
  });

  it('falls back to provisioningError', () => {
    const loc = locateFromStatus({ lastRunStatus: { message: 'Running' }, provisioningError: { message: armMessage } });
    expect(loc?.source).toBe('status-arm-path');
  });

  it('understands raw ARM JSON with a properties envelope', () => {
    const loc = locateFromStatus({ properties: { lastRunStatus: { message: urlMessage }, exactStagingResourceGroup: STAGING_ID } });
    expect(loc).toMatchObject({ account: ACCT, stagingResourceGroup: STAGING });
  });

  it('returns undefined when no message names a log', () => {
    expect(locateFromStatus({ lastRunStatus: { message: 'Succeeded' }, exactStagingResourceGroup: STAGING_ID })).toBeUndefined();
  });
});
