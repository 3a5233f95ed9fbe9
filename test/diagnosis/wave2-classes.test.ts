import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classify, scanText } from '../../src/diagnosis';

// Every wave-2 class: its positive samples are in test/fixtures/samples (catalog.test.ts runs them); here each
// gets near misses, lines that share its words but are not its failure, and must not be diagnosed as it.

const RUN = '[2b4d6f8a-0c2e-4a6c-8e0a-2c4e6a8c0e2a] PACKER 2026/03/02 10:14:07';
const asLog = (lines: string[]) => scanText(lines.map((l) => `${RUN} ${l}`).join('\n') + '\n', 'log');

const NEAR_MISSES: Array<[string, { texts?: string[]; log?: string[] }]> = [
  ['purchase-plan-missing', { texts: ['Using plan information from source.planInfo: planName=cis-level-1, planProduct=cis-windows-server, planPublisher=center-for-internet-security-inc'] }],
  ['storage-access-refused', { texts: ['Public access level for container scripts set to private; the template identity reads it with Storage Blob Data Reader.'] }],
  ['vm-size-unavailable', { texts: ['Standard_D4s_v5 is available in location westeurope for this subscription.'] }],
  ['unknown-template-property', { texts: ['Applying vmBoot.state = Enabled to the template; all fields validated.'] }],
  ['identity-required', { texts: ['Using the user-assigned managed identity id-aib-build to read the customizer scripts.'] }],
  ['user-not-authorized', { texts: ["(AuthorizationFailed) The client 'id-aib' does not have authorization to perform action 'Microsoft.Compute/galleries/images/versions/write' over scope '/subscriptions/x'"] }],
  ['waagent-missing', { log: ['ui: ==> azure-arm: + /usr/sbin/waagent -force -deprovision+user', 'ui: ==> azure-arm: Deprovisioning finished.'] }],
  ['hyperv-generation-mismatch', { texts: ['Source image HyperVGeneration V2; gallery image definition HyperVGeneration V2: publishing.'] }],
  ['security-type-mismatch', { texts: ['Security type TrustedLaunchSupported is set on the gallery image definition win11-avd.'] }],
  [
    'client-tooling-failed',
    {
      log: [
        "ui: ==> azure-arm: Get-AzContext : The term 'Get-AzContext' is not recognized as the name of a cmdlet, function, script file, or operable program.",
        "ui error: Build 'azure-arm' errored after 2 minutes: Script exited with non-zero exit status: 1. Allowed exit codes are: [0]",
      ],
    },
  ],
  ['no-failure', { log: ["ui error: Build 'azure-arm' errored after 2 minutes: Script exited with non-zero exit status: 1. Allowed exit codes are: [0]", 'ui: ==> Builds finished but no artifacts were created.'] }],
];

test.each(NEAR_MISSES)('%s: a near miss is not diagnosed as it', (id, input) => {
  const d = classify({ texts: input.texts, log: input.log ? asLog(input.log) : undefined });
  expect(d.diagnosis.id).not.toBe(id);
  expect(d.others.map((o) => o.id)).not.toContain(id);
});

test('a failing customizer that calls Az inside the VM is a customizer failure, not the client tooling', () => {
  const [, input] = NEAR_MISSES.find(([id]) => id === 'client-tooling-failed')!;
  expect(classify({ log: asLog(input.log!) }).diagnosis.id).toBe('customizer-failed');
});

test.each(['success-linux.log', 'success-windows.log'])('%s: no wave-2 class fires anywhere in a successful build', (file) => {
  const scan = scanText(readFileSync(join(__dirname, '..', 'fixtures', 'logs', file), 'utf8'), 'log');
  const wave2 = ['purchase-plan-missing', 'storage-access-refused', 'vm-size-unavailable', 'unknown-template-property', 'identity-required', 'user-not-authorized', 'waagent-missing', 'hyperv-generation-mismatch', 'security-type-mismatch', 'client-tooling-failed'];
  expect(scan.hits.map((h) => h.entryId).filter((id) => wave2.includes(id))).toEqual([]);
});
