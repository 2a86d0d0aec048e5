// The scrutiny panel bot in a force's own Azure subscription: one resource group, every resource
// named from one prefix, in the region the force chooses, tagged. The bot runs as a user-assigned
// managed identity: there is no client secret anywhere. DEPLOY.md walks through deploying it.
targetScope = 'resourceGroup'

@description('Azure region for every resource but the bot registration (which is global).')
param location string = 'uksouth'

@description('Short name every resource is named from, e.g. "hcpanel" (letters and digits, 3-12).')
@minLength(3)
@maxLength(12)
param prefix string

@description('The force\'s Entra tenant id: the only tenant the bot answers.')
param tenantId string = tenant().tenantId

@description('Tags put on every resource (the force\'s own conventions: owner, cost centre, classification).')
param tags object = {}

@description('App Service plan size. B1 is enough for one force\'s panel; P0v3 or larger for zone redundancy.')
param appServiceSku string = 'B1'

@description('Azure Bot pricing tier. Teams is a standard channel, free on either; S1 carries the service level.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'S1'

@description('The bot\'s name as the Azure portal and Teams admin centre show it.')
param botDisplayName string = 'Scrutiny Panel'

@description('The Cosmos DB database and container the bot keeps its records in.')
param cosmosDatabase string = 'scrutiny-panel'
param cosmosContainer string = 'panel'

@description('Which panel this deployment holds (one container may hold several forces\' panels).')
param panelId string = 'panel'

@description('Days kept in Log Analytics (the force\'s retention policy for operational logs).')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 90

@description('Where alerts are e-mailed (the force\'s service desk); empty: alerts show in the portal only.')
param alertEmail string = ''

@description('Panel settings the bot reads (settings.py); each defaults to the product\'s own default.')
param panelSettings object = {}

var names = {
  identity: '${prefix}-id'
  workspace: '${prefix}-logs'
  insights: '${prefix}-insights'
  vault: take('${prefix}-kv-${uniqueString(resourceGroup().id)}', 24)
  cosmos: toLower('${prefix}-cosmos-${uniqueString(resourceGroup().id)}')
  plan: '${prefix}-plan'
  site: toLower('${prefix}-bot-${uniqueString(resourceGroup().id)}')
  bot: '${prefix}-bot'
}
var allTags = union(tags, { application: 'scrutiny-panel-bot' })

// The bot's identity everywhere: Azure Bot's app id, the web app's identity, Cosmos DB's data
// plane, Key Vault references. Its client id is the Teams app package's bot id.
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: names.identity
  location: location
  tags: allTags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    tags: allTags
    workspaceName: names.workspace
    insightsName: names.insights
    retentionDays: logRetentionDays
    publisherPrincipalId: identity.properties.principalId
  }
}

module vault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    tags: allTags
    vaultName: names.vault
    tenantId: tenantId
    readerPrincipalId: identity.properties.principalId
    workspaceId: monitoring.outputs.workspaceId
    prefix: prefix
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  params: {
    location: location
    tags: allTags
    accountName: names.cosmos
    databaseName: cosmosDatabase
    containerName: cosmosContainer
    dataPrincipalId: identity.properties.principalId
    workspaceId: monitoring.outputs.workspaceId
  }
}

module site 'modules/app.bicep' = {
  name: 'app'
  params: {
    location: location
    tags: allTags
    planName: names.plan
    siteName: names.site
    sku: appServiceSku
    identityId: identity.id
    identityClientId: identity.properties.clientId
    tenantId: tenantId
    cosmosEndpoint: cosmos.outputs.endpoint
    cosmosDatabase: cosmosDatabase
    cosmosContainer: cosmosContainer
    panelId: panelId
    identityHashKeyUri: vault.outputs.identityHashKeyUri
    workspaceId: monitoring.outputs.workspaceId
    panelSettings: panelSettings
    insightsConnectionString: monitoring.outputs.connectionString
  }
}

module bot 'modules/bot.bicep' = {
  name: 'bot'
  params: {
    tags: allTags
    botName: names.bot
    displayName: botDisplayName
    sku: botSku
    endpoint: 'https://${site.outputs.hostName}/api/messages'
    identityClientId: identity.properties.clientId
    identityId: identity.id
    tenantId: tenantId
    workspaceId: monitoring.outputs.workspaceId
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    location: location
    tags: allTags
    prefix: prefix
    insightsId: monitoring.outputs.insightsId
    siteId: site.outputs.id
    alertEmail: alertEmail
  }
}

@description('The bot\'s address: PUBLIC_BASE_URL is https://<this>, and the package\'s validDomains.')
output webAppHostName string = site.outputs.hostName
@description('The bot\'s app id: the managed identity\'s client id (MicrosoftAppId, and the Teams app package\'s bot id).')
output botAppId string = identity.properties.clientId
output tenantId string = tenantId
output cosmosEndpoint string = cosmos.outputs.endpoint
output keyVaultName string = vault.outputs.name
output webAppName string = site.outputs.name
output applicationInsightsName string = monitoring.outputs.insightsName
