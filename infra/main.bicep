// aib-chatops in one resource group: the bot's managed identity, its web app, the storage for bot state and the
// audit trail, the Azure Bot registration with the Teams channel, and the roles the bot needs where the image
// templates live.
//
// Deploy:  az deployment group create -g <bot-rg> -f infra/main.bicep -p @infra/main.parameters.json
// The deploying user needs Owner (or Contributor + User Access Administrator) on the subscription: the deployment
// creates two custom roles and assigns roles outside this resource group.
//
// No Bicep compiler was available where this file was written; test/unit/infra.test.ts checks its structure only.
// Run `az bicep build --file infra/main.bicep` (or `az deployment group what-if ...`) before the first deployment.

targetScope = 'resourceGroup'

@description('Short prefix for resource names: lowercase letters and digits.')
@minLength(3)
@maxLength(11)
param namePrefix string = 'aibchat'

@description('Region of the identity, web app and storage. The bot registration itself is global.')
param location string = resourceGroup().location

@description('Name of the bot as shown in the Azure portal.')
param botDisplayName string = 'AIB ChatOps'

@description('App Service plan size. Basic or above: the bot needs Always On so proactive card updates are not lost to an idle unload.')
@allowed([
  'B1'
  'B2'
  'B3'
  'S1'
  'P0v3'
  'P1v3'
])
param appServicePlanSku string = 'B1'

@description('Azure Bot pricing tier. Teams is a standard channel, so F0 carries unlimited Teams messages.')
@allowed([
  'F0'
  'S1'
])
param botServiceSku string = 'F0'

@description('Resource groups holding the image templates the bot serves, and their custom staging resource groups. Empty: the whole subscription, which templates using the automatic IT_* staging resource groups need.')
param imageBuilderResourceGroups array = []

@description('portal: support cases are prefilled portal links (no extra role). api: the bot creates them through the Azure Support API and gets Support Request Contributor.')
@allowed([
  'portal'
  'api'
])
param supportMode string = 'portal'

@description('Path of the action policy JSON on the web app, e.g. /home/site/wwwroot/action-policy.json. Empty: no policy, so the bot is read-only for everyone.')
param actionPolicyPath string = ''

@description('Appended to the two custom role names, which must be unique in the tenant. Set it for a second deployment in another subscription of the same tenant.')
param roleNameSuffix string = ''

@allowed([
  'debug'
  'info'
  'warn'
  'error'
])
param logLevel string = 'info'

var suffix = uniqueString(resourceGroup().id)
var stateContainerName = 'bot-state'
var auditContainerName = 'audit'
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

// The bot's only identity: Bot Framework authentication (MicrosoftAppType=UserAssignedMSI) and Azure access both
// use it, so there is no client secret to store or rotate.
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${namePrefix}-${suffix}'
  location: location
}

// Bot state (pending confirmations, card references) and the audit trail. Entra ID only: with shared keys off, a
// leaked connection string cannot exist, and the role assignment below is the single way in.
resource stateStorage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: take('st${namePrefix}${suffix}', 24)
  location: location
  sku: {
    name: 'Standard_LRS'
  }
  kind: 'StorageV2'
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    accessTier: 'Hot'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: stateStorage
  name: 'default'
  properties: {
    // Audit records are evidence: a deleted blob or container stays recoverable for a week.
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource stateContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: stateContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource auditContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: auditContainerName
  properties: {
    publicAccess: 'None'
  }
}

// Storage Blob Data Contributor on the state account only: the bot reads and writes its own state and appends
// audit records. No control-plane rights on the account, and no rights on any other account.
resource stateStorageAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(stateStorage.id, identity.id, storageBlobDataContributor)
  scope: stateStorage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: 'plan-${namePrefix}-${suffix}'
  location: location
  kind: 'linux'
  sku: {
    name: appServicePlanSku
  }
  properties: {
    reserved: true
  }
}

// Names are the ones src/config.ts reads (CONFIG_VARIABLES); the infra test fails on a name the code does not know.
var baseAppSettings = [
  {
    name: 'NODE_ENV'
    value: 'production'
  }
  {
    name: 'MicrosoftAppType'
    value: 'UserAssignedMSI'
  }
  {
    name: 'MicrosoftAppId'
    value: identity.properties.clientId
  }
  {
    name: 'MicrosoftAppTenantId'
    value: identity.properties.tenantId
  }
  {
    // DefaultAzureCredential picks the user-assigned identity by this client id.
    name: 'AZURE_CLIENT_ID'
    value: identity.properties.clientId
  }
  {
    name: 'AZURE_SUBSCRIPTION_ID'
    value: subscription().subscriptionId
  }
  {
    name: 'AZURE_RESOURCE_GROUPS'
    value: join(imageBuilderResourceGroups, ',')
  }
  {
    name: 'SUPPORT_MODE'
    value: supportMode
  }
  {
    name: 'BOT_STORAGE_ACCOUNT_URL'
    value: 'https://${stateStorage.name}.blob.${environment().suffixes.storage}'
  }
  {
    name: 'BOT_STATE_CONTAINER'
    value: stateContainerName
  }
  {
    name: 'AUDIT_CONTAINER'
    value: auditContainerName
  }
  {
    name: 'LOG_LEVEL'
    value: logLevel
  }
  {
    // The package is built before upload (native modules included), so App Service must not rebuild it.
    name: 'SCM_DO_BUILD_DURING_DEPLOYMENT'
    value: 'false'
  }
]
var policySetting = empty(actionPolicyPath) ? [] : [
  {
    name: 'ACTION_POLICY'
    value: actionPolicyPath
  }
]

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: 'app-${namePrefix}-${suffix}'
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      appCommandLine: 'npm start'
      alwaysOn: true
      healthCheckPath: '/healthz'
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      http20Enabled: true
      appSettings: concat(baseAppSettings, policySetting)
    }
  }
}

// The registration Teams talks to. It trusts the same managed identity the web app authenticates as.
resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: 'bot-${namePrefix}-${suffix}'
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botServiceSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppId: identity.properties.clientId
    msaAppMSIResourceId: identity.id
    msaAppTenantId: identity.properties.tenantId
    msaAppType: 'UserAssignedMSI'
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

// Custom roles live at the subscription so one definition serves every resource group below; the module also
// assigns them subscription-wide when no resource groups are listed, and Support Request Contributor when asked.
module imageBuilderRoles 'modules/image-builder-roles.bicep' = {
  name: 'aib-chatops-roles'
  scope: subscription()
  params: {
    principalId: identity.properties.principalId
    roleNameSuffix: roleNameSuffix
    assignAtSubscription: empty(imageBuilderResourceGroups)
    supportMode: supportMode
  }
}

module imageBuilderAccess 'modules/image-builder-access.bicep' = [for rg in imageBuilderResourceGroups: {
  name: take('aib-chatops-access-${rg}', 64)
  scope: resourceGroup(rg)
  params: {
    principalId: identity.properties.principalId
    operatorRoleDefinitionId: imageBuilderRoles.outputs.operatorRoleDefinitionId
    logLocatorRoleDefinitionId: imageBuilderRoles.outputs.logLocatorRoleDefinitionId
  }
}]

@description('BOT_ID for `npm run package`: the Microsoft App ID of the bot, i.e. the managed identity\'s client id.')
output botId string = identity.properties.clientId

@description('BOT_DOMAIN for `npm run package`: the web app host name, listed in the Teams manifest validDomains.')
output botDomain string = webApp.properties.defaultHostName

output botEndpoint string = 'https://${webApp.properties.defaultHostName}/api/messages'
output webAppName string = webApp.name
output identityPrincipalId string = identity.properties.principalId
output stateStorageUrl string = 'https://${stateStorage.name}.blob.${environment().suffixes.storage}'
output operatorRoleDefinitionId string = imageBuilderRoles.outputs.operatorRoleDefinitionId
