// Log Analytics and workspace-based Application Insights: where App Service, Cosmos DB, Key Vault
// and the Bot Service send their diagnostics, in the same region as everything else.
param location string
param tags object
param workspaceName string
param insightsName string
param retentionDays int
param publisherPrincipalId string

var metricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb' // Monitoring Metrics Publisher

resource workspace 'Microsoft.OperationalInsights/workspaces@2022-10-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionDays
    features: {
      // Reading logs needs a role on the workspace or the resource, not a shared key.
      enableLogAccessUsingOnlyResourcePermissions: true
      disableLocalAuth: true
    }
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: insightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    // Telemetry is accepted only from an Entra identity given "Monitoring Metrics Publisher".
    DisableLocalAuth: true
    // No IP addresses are kept for the users the telemetry describes.
    DisableIpMasking: false
    RetentionInDays: retentionDays
  }
}

// The bot's identity may send telemetry (local authentication is off, so nothing else can).
resource botPublishes 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, publisherPrincipalId, metricsPublisher)
  scope: insights
  properties: {
    principalId: publisherPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', metricsPublisher)
  }
}

output workspaceId string = workspace.id
output insightsId string = insights.id
output insightsName string = insights.name
output connectionString string = insights.properties.ConnectionString
