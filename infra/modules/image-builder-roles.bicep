// The two custom roles the bot needs on image templates and their staging storage, defined once per subscription,
// and the subscription-wide assignments (image builder roles when no resource groups were listed; Support Request
// Contributor only when support cases are created through the API).

targetScope = 'subscription'

@description('Object id of the bot\'s managed identity.')
param principalId string

@description('Appended to the role names, which must be unique in the tenant.')
param roleNameSuffix string = ''

@description('Assign the image builder roles across the subscription (no resource groups were listed).')
param assignAtSubscription bool

@allowed([
  'portal'
  'api'
])
param supportMode string

var storageBlobDataReader = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
var supportRequestContributor = 'cfd33db0-3dd1-45e3-aa9d-cdbdf3b6f24e'

// No built-in role covers Image Builder templates short of Contributor, which would let the bot change anything
// in the scope. The list is IMAGE_BUILDER_ACTIONS in src/azure/permissions.ts, the list the gateways check
// against; test/unit/infra.test.ts fails when the two differ.
resource operatorRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, 'aib-chatops', 'Image Builder Operator', roleNameSuffix)
  properties: {
    roleName: 'Image Builder Operator${roleNameSuffix}'
    description: 'aib-chatops: diagnose, rerun, cancel, delete and recreate Azure VM Image Builder templates.'
    type: 'customRole'
    permissions: [
      {
        actions: [
          // Every answer: the template, its run state, errors and staging resource group.
          'Microsoft.VirtualMachineImages/imageTemplates/read'
          // "Recreate with a larger timeout / VM size": AIB cannot update a template, so it is created again.
          'Microsoft.VirtualMachineImages/imageTemplates/write'
          // "Delete template": the fix for a conflicting failed template, and the first half of a recreate.
          'Microsoft.VirtualMachineImages/imageTemplates/delete'
          // "Rerun".
          'Microsoft.VirtualMachineImages/imageTemplates/run/action'
          // "Cancel run".
          'Microsoft.VirtualMachineImages/imageTemplates/cancel/action'
          // The image versions and VHDs a successful rerun produced, shown on the final card.
          'Microsoft.VirtualMachineImages/imageTemplates/runOutputs/read'
          // The triggers of a template and their status (a trigger disabled after repeated failures).
          'Microsoft.VirtualMachineImages/imageTemplates/triggers/read'
        ]
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
    assignableScopes: [
      subscription().id
    ]
  }
}

// Finding customization.log means finding the storage account in the template's staging resource group. Reader
// would allow that too, but also exposes the configuration of every other resource in the scope. The same scope
// holds what a build leaves behind, so listing and cleaning that up lives here too (the list is STORAGE_ACTIONS).
resource logLocatorRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, 'aib-chatops', 'Image Builder Log Locator', roleNameSuffix)
  properties: {
    roleName: 'Image Builder Log Locator${roleNameSuffix}'
    description: 'aib-chatops: find an Image Builder build log, list and clean up what a build left in its staging group, read gallery replication.'
    type: 'customRole'
    permissions: [
      {
        actions: [
          'Microsoft.Storage/storageAccounts/read'
          // Which regions of a gallery image version failed or are still replicating.
          'Microsoft.Compute/galleries/images/versions/read'
          // What a build left in its staging group: resources kept by errorHandling abort, the isolated build's container.
          'Microsoft.Resources/subscriptions/resourceGroups/resources/read'
          // "Clean up kept resources" after an abort. Assigned where the log locator is: the IT_* groups
          // (subscription-wide) or a listed custom staging group; the storage account with the logs is never deleted.
          'Microsoft.Compute/virtualMachines/delete'
          'Microsoft.Compute/disks/delete'
          'Microsoft.Network/networkInterfaces/delete'
          'Microsoft.Network/publicIPAddresses/delete'
          'Microsoft.Network/networkSecurityGroups/delete'
          'Microsoft.Network/virtualNetworks/delete'
          'Microsoft.ContainerInstance/containerGroups/delete'
          'Microsoft.KeyVault/vaults/delete'
        ]
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
    assignableScopes: [
      subscription().id
    ]
  }
}

// Template actions across the subscription: only when the deployment named no resource groups.
resource operatorAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (assignAtSubscription) {
  name: guid(subscription().id, principalId, operatorRole.id)
  properties: {
    roleDefinitionId: operatorRole.id
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Locating build logs in the automatic IT_* staging resource groups, which appear per template and so cannot be
// listed ahead of time.
resource logLocatorAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (assignAtSubscription) {
  name: guid(subscription().id, principalId, logLocatorRole.id)
  properties: {
    roleDefinitionId: logLocatorRole.id
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Storage Blob Data Reader: read customization.log in the packerlogs container. Read only; the bot never writes
// to a staging account.
resource logReaderAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (assignAtSubscription) {
  name: guid(subscription().id, principalId, storageBlobDataReader)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataReader)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Support Request Contributor: only with SUPPORT_MODE=api, where the bot creates the support case itself. Support
// tickets are subscription resources, so this is always assigned at the subscription.
resource supportAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (supportMode == 'api') {
  name: guid(subscription().id, principalId, supportRequestContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', supportRequestContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output operatorRoleDefinitionId string = operatorRole.id
output logLocatorRoleDefinitionId string = logLocatorRole.id
