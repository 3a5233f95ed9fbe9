import type { TemplateRecord } from './template-record';

// The staging group's storage account as Microsoft.Storage lists it: what `storageAccounts.listByResourceGroup`
// returns, with `primaryEndpoints.blob` pointing at the sandbox's blob endpoint (Azurite path style).

export function storageAccountJson(t: TemplateRecord, subscriptionId: string, blobEndpoint: string): Record<string, unknown> {
  return {
    id: `/subscriptions/${subscriptionId}/resourceGroups/${t.stagingGroup}/providers/Microsoft.Storage/storageAccounts/${t.storageAccount}`,
    name: t.storageAccount,
    type: 'Microsoft.Storage/storageAccounts',
    location: t.location,
    kind: 'StorageV2',
    sku: { name: 'Standard_LRS', tier: 'Standard' },
    tags: { createdBy: 'AzureVMImageBuilder', imageTemplateName: t.name, imageTemplateResourceGroupName: t.resourceGroup },
    properties: {
      provisioningState: 'Succeeded',
      creationTime: t.createdAt,
      primaryLocation: t.location,
      statusOfPrimary: 'available',
      allowBlobPublicAccess: false,
      minimumTlsVersion: 'TLS1_2',
      primaryEndpoints: { blob: `${blobEndpoint}/${t.storageAccount}/` },
    },
  };
}
