import { distributionFacts, distributionFailed, galleryVersionIds, replicationFacts } from '../../src/diagnosis';
import { templateApiFacts } from '../../src/diagnosis/template-facts';
import { distributionLines } from '../../src/cards/distribution-text';
import { t } from '../../src/i18n';

// The pure half of issue 13 item 5: which gallery versions to ask about, and what their replicationStatus means.

const VERSION = '/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/galleries/gal/images/img/versions/1.2.3';

function template(runState: string, subState: string) {
  return {
    id: '/subscriptions/s/resourceGroups/g/providers/Microsoft.VirtualMachineImages/imageTemplates/t1',
    properties: {
      distribute: [{ type: 'SharedImage', runOutputName: 'sig', galleryImageId: '/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/galleries/gal/images/img' }],
      lastRunStatus: { runState, runSubState: subState, message: 'x' },
    },
  };
}

test('only a partial success or a failure while distributing asks about galleries', () => {
  expect(distributionFailed(templateApiFacts(template('Failed', 'Distributing')))).toBe(true);
  expect(distributionFailed(templateApiFacts(template('PartiallySucceeded', 'Distributing')))).toBe(true);
  expect(distributionFailed(templateApiFacts(template('Failed', 'Building')))).toBe(false);
  expect(distributionFailed(templateApiFacts(template('Succeeded', '')))).toBe(false);
});

test('gallery versions come from the run outputs only, deduplicated and bounded; a managed image is not one', () => {
  const api = templateApiFacts(template('Failed', 'Distributing'), {
    runOutputs: [
      { name: 'sig', provisioningState: 'Failed', artifactId: VERSION },
      { name: 'mi', provisioningState: 'Succeeded', artifactId: '/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/images/img' },
    ],
  });
  expect(galleryVersionIds(api)).toEqual([VERSION]);
});

test('"finished after Image Builder stopped waiting" needs a failed run and every region Completed', () => {
  const done = { versionId: VERSION, aggregatedState: 'Completed', regions: [{ region: 'westeurope', state: 'Completed' }] };
  expect(replicationFacts(done, true).finishedAfterImageBuilderStopped).toBe(true);
  expect(replicationFacts(done, false).finishedAfterImageBuilderStopped).toBe(false);
  // A forged aggregate that the regions contradict, or no regions at all, does not claim a usable image.
  expect(replicationFacts({ ...done, regions: [{ region: 'eastus', state: 'Replicating' }] }, true).finishedAfterImageBuilderStopped).toBe(false);
  expect(replicationFacts({ ...done, regions: [] }, true).finishedAfterImageBuilderStopped).toBe(false);
});

test('attack: oversized, numerous and secret-bearing region texts stay bounded and scrubbed on the card', () => {
  const sas = 'https://acct.blob.core.windows.net/c/b?sv=2024-01-01&sig=SECRETSIGNATURE1234567890abcdef%3D';
  const regions = Array.from({ length: 500 }, (_, i) => ({ region: `r${i}${'x'.repeat(5000)}`, state: i % 2 ? 'Failed' : 'Replicating', details: `${sas} ${'y'.repeat(100_000)}`, progress: 50 }));
  const facts = distributionFacts(templateApiFacts(template('Failed', 'Distributing')), [{ versionId: VERSION, aggregatedState: 'Failed', regions }]);
  const lines = distributionLines(facts, 'en');
  expect(lines.length).toBeLessThanOrEqual(14);
  for (const line of lines) expect(line.length).toBeLessThan(1600);
  expect(lines.join('\n')).not.toContain('SECRETSIGNATURE');
});

test('the lines read in the reader\'s language', () => {
  const facts = distributionFacts(templateApiFacts(template('Failed', 'Distributing')), [
    { versionId: VERSION, aggregatedState: 'InProgress', regions: [{ region: 'japaneast', state: 'Replicating', progress: 35 }] },
  ]);
  expect(distributionLines(facts, 'ja-JP')).toEqual([t('ja-JP', 'distribution.replicating', { version: '1.2.3', regions: 'japaneast (35 %)' })]);
});
