import { MAIN_RESOURCE_GROUP, SANDBOX_SUBSCRIPTION_ID } from '../constants';
import type { Scenario } from './scenario-types';
import { ARTIFACTS, customizers as c, GALLERY_ID, galleryTarget, sources } from './template-parts';

// Packer finished and captured the image; publishing it failed. The customization.log shows a clean build,
// the reason is only in lastRunStatus, and the message names no log.

const SUB = SANDBOX_SUBSCRIPTION_ID;

export const distributionScenarios: Scenario[] = [
  {
    name: 'win2022-global',
    expectedId: 'gallery-replication-timeout',
    os: 'windows',
    template: {
      source: sources.win2022,
      customize: [c.powershellScript('corp-baseline', `${ARTIFACTS}/windows/corp-baseline.ps1`), c.restart()],
      distribute: [galleryTarget('win2022-global', 'win2022-global-sig', ['westeurope', 'eastus2', 'southeastasia', 'australiaeast', 'brazilsouth'])],
      buildTimeoutInMinutes: 120,
    },
    status: {
      kind: 'run-failed',
      subState: 'Distributing',
      log: { os: 'windows', customizers: [{ type: 'powershell', name: 'corp-baseline', filler: 35 }, { type: 'windows-restart', name: 'restart' }] },
      message: `Deployment failed. Correlation ID: {correlationId}. Failed in distributing 1 images out of total 1: {[Error 0] [Distribute 0] Error publishing MDI to shared image gallery:${GALLERY_ID}/images/win2022-global, Location:westeurope. Error: Error returned from SIG client while publishing MDI to shared image gallery for dstImageLocation: westeurope, dstSubscription: ${SUB}, dstResourceGroupName: ${MAIN_RESOURCE_GROUP}, dstGalleryName: contosoImages, dstGalleryImageName: win2022-global. Error: Error waiting on shared image gallery future for resource group: ${MAIN_RESOURCE_GROUP}, gallery name: contosoImages, gallery image name: win2022-global.Error: Future#WaitForCompletion: context has been cancelled: StatusCode=200 -- Original Error: context deadline exceeded}`,
    },
    tookMinutes: 120,
  },
  {
    name: 'ubuntu2204-prod-image',
    expectedId: 'distribution-failed',
    os: 'linux',
    template: {
      source: sources.ubuntu2204,
      customize: [c.shellScript('prod-baseline', `${ARTIFACTS}/linux/prod-baseline.sh`)],
      distribute: [
        {
          type: 'ManagedImage',
          imageId: `/subscriptions/${SUB}/resourceGroups/images-prod/providers/Microsoft.Compute/images/ubuntu2204-prod`,
          location: 'westeurope',
          runOutputName: 'ubuntu2204-prod-mi',
        },
      ],
    },
    status: {
      kind: 'run-failed',
      subState: 'Distributing',
      log: { os: 'linux', customizers: [{ type: 'shell', name: 'prod-baseline', filler: 45 }] },
      message: `Failed in distributing 1 images out of total 1: {[Error 0] [Distribute 0] Error publishing MDI to managed image: /subscriptions/${SUB}/resourceGroups/images-prod/providers/Microsoft.Compute/images/ubuntu2204-prod, Location: westeurope. Error: compute.ImagesClient#CreateOrUpdate: Failure sending request: StatusCode=404 -- Original Error: Code="ResourceGroupNotFound" Message="Resource group 'images-prod' could not be found."}`,
    },
  },
];
