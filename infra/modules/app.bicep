// App Service: a Linux plan and a Python 3.11 web app that runs `panelbot serve` on the port App
// Service gives. HTTPS only, TLS 1.2, FTP and basic publishing credentials off, HTTP/2, Always On
// (the sitting's timer and the reminder round run inside the app), health check on /healthz. Every
// setting the bot reads (settings.py) is set here; its one secret is a Key Vault reference.
param location string
param tags object
param planName string
param siteName string
param sku string
param identityId string
param identityClientId string
param tenantId string
param cosmosEndpoint string
param cosmosDatabase string
param cosmosContainer string
param panelId string
param identityHashKeyUri string
param workspaceId string
param panelSettings object
param insightsConnectionString string

@description('The bot\'s https address; by default the web app\'s own host name.')
param publicBaseUrl string = 'https://${siteName}.azurewebsites.net'

// The panel's own settings, each at the product's default (settings.py) unless the force changes
// it in panelSettings. tests/test_infra.py holds these to settings.py.
var defaults = {
  LOG_LEVEL: 'INFO'
  SLOT_MINUTES_NEW: '15'
  SLOT_MINUTES_UPDATE: '10'
  SLOT_MINUTES_COMPLEX: '30'
  SLOT_MINUTES_CLOSED_REVIEW: '15'
  CLOSURE_NEEDS_CHAIR_APPROVAL: 'false'
  QUIET_HOURS: '20:00-07:00'
  QUIET_WEEKENDS: 'true'
  REMIND_SITTING_FIRST_DAYS: '7'
  REMIND_SITTING_LAST_DAYS: '1'
  REMIND_SLOT_MINUTES: '15'
  REMIND_ACTION_DUE_DAYS: '3'
  REMIND_OVERDUE_EVERY_DAYS: '7'
  REMIND_APPROVAL_WORKING_DAYS: '2'
  REMIND_NOT_LISTED_DAYS: '30'
  REMIND_NOT_HEARD_DAYS: '90'
  WARN_VICTIM_NOT_UPDATED_DAYS: '14'
  WARN_INVESTIGATOR_CHANGES: '2'
  WARN_INVESTIGATION_DAYS: '90'
  WARN_RISK_NOT_REASSESSED_DAYS: '28'
  SENIOR_RANKS_TO_ANOTHER_FORCE: 'false'
  SMALL_NUMBER_THRESHOLD: '5'
  CASE_AUDIT_ROLES: 'coordinator,chair'
  RETAIN_CLOSED_CASES_YEARS: '6'
  RETAIN_AUDIT_YEARS: '7'
  COSMOS_THROTTLE_RETRIES: '5'
  COSMOS_THROTTLE_WAIT_SECONDS: '8'
  COSMOS_TIMEOUT_SECONDS: '5'
}
var tuning = union(defaults, panelSettings)
var tuningSettings = [
  for item in items(tuning): {
    name: item.key
    value: string(item.value)
  }
]
var fixedSettings = [
  // Who the bot is: the managed identity, in the force's tenant only.
  {
    name: 'MicrosoftAppId'
    value: identityClientId
  }
  {
    name: 'MicrosoftAppType'
    value: 'UserAssignedMSI'
  }
  {
    name: 'MicrosoftAppTenantId'
    value: tenantId
  }
  {
    name: 'ALLOWED_TENANT_ID'
    value: tenantId
  }
  {
    // azure-identity picks this identity for Cosmos DB (the app has no system-assigned one).
    name: 'AZURE_CLIENT_ID'
    value: identityClientId
  }
  {
    name: 'PUBLIC_BASE_URL'
    value: publicBaseUrl
  }
  {
    // Never regenerate (modules/keyvault.bicep says why).
    name: 'IDENTITY_HASH_KEY'
    value: '@Microsoft.KeyVault(SecretUri=${identityHashKeyUri})'
  }
  {
    name: 'STORAGE'
    value: 'cosmos'
  }
  {
    name: 'COSMOS_ENDPOINT'
    value: cosmosEndpoint
  }
  {
    name: 'COSMOS_DATABASE'
    value: cosmosDatabase
  }
  {
    name: 'COSMOS_CONTAINER'
    value: cosmosContainer
  }
  {
    name: 'PANEL_ID'
    value: panelId
  }
  {
    // One JSON object a line, for Log Analytics: ids and event names, never user text.
    name: 'LOG_FORMAT'
    value: 'json'
  }
  {
    // Traces, metrics and scrubbed log lines to Application Insights, sent as the bot's identity.
    name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
    value: insightsConnectionString
  }
  {
    // App Service's build installs requirements.txt from the `make dist` zip.
    name: 'SCM_DO_BUILD_DURING_DEPLOYMENT'
    value: 'true'
  }
]

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  //checkov:skip=CKV_AZURE_225:zone redundancy needs a Premium v3 plan of three instances; a force that wants it sets appServiceSku
  name: planName
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: sku
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2023-12-01' = {
  //checkov:skip=CKV_AZURE_212:one instance is what a single-process bot with an in-app timer runs as; DEPLOY.md says how to scale out
  //checkov:skip=CKV_AZURE_17:the Bot Connector presents no client certificate; it sends a signed bearer token, which the bot checks
  //checkov:skip=CKV_AZURE_222:the Bot Connector must reach /api/messages from the internet
  //checkov:skip=CKV_AZURE_63:platform HTTP logs record full URLs, and an export's URL carries its one-time token; the bot logs routes itself
  //checkov:skip=CKV_AZURE_65:detailed error pages record the full URL (an export's one-time token); the bot logs its own errors by type
  //checkov:skip=CKV_AZURE_66:failed-request traces record the full URL (an export's one-time token); the bot logs routes and status itself
  name: siteName
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertEnabled: false
    publicNetworkAccess: 'Enabled'
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      linuxFxVersion: 'PYTHON|3.11'
      appCommandLine: 'python -m cli.main serve --host 0.0.0.0'
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/healthz'
      // Off: App Service's own HTTP logs, failed-request traces and detailed error pages record the
      // full URL, and a download's URL carries its one-time token. The bot's access log (route,
      // status and time, never the path) goes to AppServiceConsoleLogs instead.
      httpLoggingEnabled: false
      detailedErrorLoggingEnabled: false
      requestTracingEnabled: false
      remoteDebuggingEnabled: false
      appSettings: concat(fixedSettings, tuningSettings)
    }
  }
}

// Deployments use Entra sign-in (az webapp deploy), never a shared publishing password.
resource noFtpPassword 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource noScmPassword 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: site
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        category: 'AppServiceConsoleLogs'
        enabled: true
      }
      {
        category: 'AppServiceAppLogs'
        enabled: true
      }
      {
        category: 'AppServicePlatformLogs'
        enabled: true
      }
      {
        category: 'AppServiceAuditLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

output hostName string = site.properties.defaultHostName
output id string = site.id
output name string = site.name
