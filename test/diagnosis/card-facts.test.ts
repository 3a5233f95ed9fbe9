import { classify, scanText, templateFacts } from '../../src/diagnosis';
import { diagnosisView } from '../../src/cards/view-models';

// The diagnosis card shows the wave-2 facts: what the exit code means, the status and log disagreeing,
// possible causes for `unknown`, and a successful build as such.

const RUN = '[6e0b2d4f-8a1c-4e3b-9d5f-7a9c1e3b5d70] PACKER 2026/02/14 09:12:01';
const template = { name: 'win2022-base', resourceGroup: 'rg-images', id: '/subscriptions/x/resourceGroups/rg-images/providers/Microsoft.VirtualMachineImages/imageTemplates/win2022-base' };

test('exit code meaning and disagreement appear on the card', () => {
  const d = classify({
    template: templateFacts({ properties: { provisioningState: 'Succeeded', lastRunStatus: { runState: 'Failed', message: '{"code":"QuotaExceeded","message":"exceeding quota limits of Core"}' } } }),
    log: scanText(`${RUN} ui: ==> azure-arm: ERROR: -> RequestDisallowedByPolicy : Resource was disallowed by policy.\n`, 'log'),
  });
  const view = diagnosisView({ template, diagnosis: d, scan: 'complete' }, 'en');
  expect(view.notes.map((n) => n.text).join('\n')).toMatch(/The template status says .* the log says .*\./);
});

test('a failing step shows its exit code and meaning as a fact', () => {
  const d = classify({ texts: ["Build 'azure-arm' errored after 3 minutes: Script exited with non-zero exit status: 1603. Allowed exit codes are: [0]"] });
  const view = diagnosisView({ diagnosis: d, scan: 'none' }, 'ja-JP');
  const fact = view.facts.find((f) => f.label === '終了コード');
  expect(fact?.value).toMatch(/^1603 — .*MSI/);
});

test('unknown lists its possible causes; a success is titled as one', () => {
  const unknown = classify({ texts: ['The gallery image version replication to eastus2 stopped; the region is unavailable for replication right now.'] });
  expect(diagnosisView({ diagnosis: unknown, scan: 'none' }, 'en').notes.some((n) => n.text.startsWith('Possible causes'))).toBe(true);
  const ok = classify({ log: scanText(`${RUN} ui: ==> Builds finished. The artifacts of successful builds are:\n`, 'log') });
  const view = diagnosisView({ template, diagnosis: ok, scan: 'complete' }, 'en');
  expect(view).toMatchObject({ title: 'This build succeeded', titleColor: 'Good' });
});
