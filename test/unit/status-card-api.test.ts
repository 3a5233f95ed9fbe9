import { statusCard } from '../../src/cards';
import { templateFacts } from '../../src/diagnosis';
import { templateApiFacts } from '../../src/diagnosis/template-facts';
import { t, type Locale } from '../../src/i18n';

// The status card's facts from API 2022-2025: template fields in the fact set; kept resources, disabled triggers,
// failed targets and an isolated build's live log as messages a person acts on. Every locale has every word.

const SUB = '/subscriptions/00000000-0000-4000-8000-00000000a1b0';
const STAGING = `${SUB}/resourceGroups/IT_aib-sandbox_t_0001`;
const VNET = `${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet-images`;
const LOCALES: Locale[] = ['en', 'zh-CN', 'pt-BR', 'it-IT', 'fr-FR', 'ja-JP'];

function template(properties: Record<string, unknown>) {
  return {
    id: `${SUB}/resourceGroups/aib-sandbox/providers/Microsoft.VirtualMachineImages/imageTemplates/t`,
    name: 't',
    properties: { provisioningState: 'Succeeded', exactStagingResourceGroup: STAGING, source: { type: 'PlatformImage' }, ...properties },
  };
}

function texts(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => texts(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if ((k === 'text' || k === 'title' || k === 'value') && typeof v === 'string') out.push(v);
      else texts(v, out);
    }
  }
  return out;
}

function render(tpl: ReturnType<typeof template>, extras: Parameters<typeof templateApiFacts>[1], locale: Locale) {
  const card = statusCard({ template: { name: 't', resourceGroup: 'aib-sandbox', id: tpl.id }, facts: templateFacts(tpl), api: templateApiFacts(tpl, extras) }, locale);
  return texts(card.content).join('\n');
}

const modern = template({
  autoRun: { state: 'Enabled' },
  optimize: { vmBoot: { state: 'Enabled' } },
  managedResourceTags: { costCenter: '4711' },
  additionalDataDisks: [{ sizeGB: 64 }],
  vmProfile: { vmSize: 'Standard_D4ds_v5', vnetConfig: { subnetId: `${VNET}/subnets/build`, containerInstanceSubnetId: `${VNET}/subnets/aci` } },
  distribute: [{ type: 'SharedImage', runOutputName: 'sig', galleryImageId: 'g', targetRegions: [{ name: 'westeurope' }, { name: 'eastus2' }], versioning: { scheme: 'Latest' } }],
  lastRunStatus: { runState: 'Running', runSubState: 'Customizing', startTime: '2026-12-02T06:00:00Z' },
});

test.each(LOCALES)('%s: template fields and the live log of an isolated build', (locale) => {
  const text = render(modern, { stagingResources: [{ type: 'Microsoft.ContainerInstance/containerGroups', name: 'vmimagebuilder-build-container-abc' }] }, locale);
  for (const key of ['vmSize', 'autoRun', 'optimize', 'regions', 'versioning', 'dataDisks', 'subnet', 'aciSubnet', 'managedTags', 'liveLogLabel']) {
    expect(text).toContain(t(locale, `card.status.api.${key}`));
  }
  expect(text).toContain('Standard_D4ds_v5');
  expect(text).toContain('westeurope, eastus2');
  expect(text).toContain('subnets/aci');
  expect(text).toContain(t(locale, 'card.status.api.liveLog', { container: 'vmimagebuilder-build-container-abc', group: 'IT_aib-sandbox_t_0001' }));
});

test.each(LOCALES)('%s: kept resources after abort, a disabled trigger, a failed target', (locale) => {
  const tpl = template({
    errorHandling: { onCustomizerError: 'abort' },
    distribute: [{ type: 'ManagedImage', runOutputName: 'mi', imageId: 'x', location: 'westeurope' }],
    lastRunStatus: { runState: 'Failed', runSubState: 'Customizing', message: 'boom' },
  });
  const text = render(tpl, {
    stagingResources: [{ type: 'Microsoft.Compute/virtualMachines', name: 'pkrvm' }],
    triggers: [{ name: 'nightly', statusCode: 'Disabled', statusMessage: 'Disabled after 3 failed builds.' }],
  }, locale);
  expect(text).toContain(t(locale, 'card.status.api.kept', { group: 'IT_aib-sandbox_t_0001' }));
  expect(text).toContain('virtualMachines/pkrvm');
  expect(text).toContain(t(locale, 'card.status.api.triggerDisabled', { name: 'nightly', message: 'Disabled after 3 failed builds.' }));
  expect(text).toContain('abort / cleanup');

  const partial = template({
    distribute: [{ type: 'VHD', runOutputName: 'vhd' }, { type: 'ManagedImage', runOutputName: 'mi', imageId: 'x', location: 'westeurope' }],
    lastRunStatus: { runState: 'PartiallySucceeded', runSubState: 'Distributing', message: '{[Error 0] [Distribute 1] Error publishing MDI}' },
  });
  const partialText = render(partial, {}, locale);
  expect(partialText).toContain(t(locale, 'card.status.api.partial'));
  expect(partialText).toContain(t(locale, 'card.status.statePartial'));
});

test('a 2020-style template shows none of the new facts', () => {
  const text = render(template({ lastRunStatus: { runState: 'Succeeded', runSubState: 'Distributing' } }), { triggers: [] }, 'en');
  for (const key of ['autoRun', 'optimize', 'errorHandling', 'keptLabel', 'triggers', 'liveLogLabel', 'partial']) expect(text).not.toContain(t('en', `card.status.api.${key}`));
});

test.each(LOCALES)('%s: sub-states Optimizing and Validating in the reader language; a partial success names the target and why', (locale) => {
  for (const subState of ['Optimizing', 'Validating']) {
    const text = render(template({ lastRunStatus: { runState: 'Running', runSubState: subState } }), {}, locale);
    expect(text).toContain(t(locale, `card.state.${subState}`));
  }
  const partial = template({
    distribute: [{ type: 'SharedImage', runOutputName: 'sig', galleryImageId: 'g' }, { type: 'ManagedImage', runOutputName: 'mi', imageId: 'x', location: 'westeurope' }],
    lastRunStatus: {
      runState: 'PartiallySucceeded',
      runSubState: 'Distributing',
      message: `Failed in distributing 1 images out of total 2: {[Error 0] [Distribute 1] Error publishing MDI to managed image: x. Error: compute.ImagesClient#CreateOrUpdate: Failure sending request: StatusCode=404 -- Original Error: Code="ResourceGroupNotFound" Message="Resource group 'images-legacy' could not be found."}`,
    },
  });
  expect(render(partial, {}, locale)).toContain("mi — ResourceGroupNotFound: Resource group 'images-legacy' could not be found.");
  expect(render(partial, {}, locale)).not.toContain('sig —');
});

test('attack: a distribution message with a thousand forged [Distribute i] parts and an unterminated code stays bounded', () => {
  const forged = template({
    distribute: [{ type: 'VHD', runOutputName: 'vhd' }],
    lastRunStatus: { runState: 'PartiallySucceeded', runSubState: 'Distributing', message: `${'[Distribute 0] Code="X" Message="'.repeat(1000)}${'y'.repeat(100_000)}` },
  });
  const facts = templateApiFacts(forged);
  expect(Object.keys(facts.run.failureReasons)).toEqual(['vhd']);
  expect(facts.run.failureReasons.vhd.length).toBeLessThanOrEqual(400);
});
