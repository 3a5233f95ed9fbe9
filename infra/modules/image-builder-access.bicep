// The bot's rights in one resource group that holds image templates (or a custom staging resource group): the
// same three roles the subscription-wide variant assigns, limited to this group.

targetScope = 'resourceGroup'

@description('Object id of the bot\'s managed identity.')
param principalId string

@description('Resource id of the "Image Builder Operator" custom role.')
param operatorRoleDefinitionId string

@description('Resource id of the "Image Builder Log Locator" custom role.')
param logLocatorRoleDefinitionId string

var storageBlobDataReader = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'

// Template actions (read, rerun, cancel, delete, recreate) on the templates in this group only.
resource operatorAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, principalId, operatorRoleDefinitionId)
  properties: {
    roleDefinitionId: operatorRoleDefinitionId
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Finding the storage account that holds customization.log, when this group is a template's staging group.
resource logLocatorAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, principalId, logLocatorRoleDefinitionId)
  properties: {
    roleDefinitionId: logLocatorRoleDefinitionId
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Storage Blob Data Reader: read customization.log itself. Read only.
resource logReaderAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, principalId, storageBlobDataReader)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataReader)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
