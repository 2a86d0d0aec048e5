// Key Vault for the bot's one secret, the identity-hash key. RBAC only (no access policies), soft
// delete and purge protection on. The bot's identity may read secrets; nothing may list or change
// them but the deployment's own script, which creates the key once.
param location string
param tags object
param vaultName string
param tenantId string
param readerPrincipalId string
param workspaceId string
param prefix string

var secretsUser = '4633458b-17de-408a-b874-0445c86b69e6' // Key Vault Secrets User
var secretsOfficer = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7' // Key Vault Secrets Officer
var keyName = 'identity-hash-key'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  //checkov:skip=CKV_AZURE_109:App Service resolves Key Vault references from outside the vault's trusted services unless joined to a virtual network (DEPLOY.md, "A private network")
  //checkov:skip=CKV_AZURE_189:closing public access needs a private endpoint and VNet integration (DEPLOY.md, "A private network")
  name: vaultName
  location: location
  tags: tags
  properties: {
    tenantId: tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    // App Service resolves Key Vault references over the public endpoint unless the web app is
    // joined to a virtual network: DEPLOY.md, "A private network", says how to close it.
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource botReadsSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, readerPrincipalId, secretsUser)
  scope: vault
  properties: {
    principalId: readerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUser)
  }
}

// A separate identity for the deployment script alone: the bot never holds the right to write.
resource scriptIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${prefix}-deploy-id'
  location: location
  tags: tags
}

resource scriptWritesSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, scriptIdentity.id, secretsOfficer)
  scope: vault
  properties: {
    principalId: scriptIdentity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsOfficer)
  }
}

// IDENTITY_HASH_KEY is made here ONLY IF THE VAULT HAS NONE, and is never regenerated: it keys the
// hashes of every registered party name and seals the audit trail, so a new key would make every
// registered name invisible to the identity guard and the audit trail unverifiable. The value is
// made inside the script and never passes through the deployment's parameters or history.
resource makeKeyOnce 'Microsoft.Resources/deploymentScripts@2023-08-01' = {
  name: '${prefix}-identity-hash-key-once'
  location: location
  tags: tags
  kind: 'AzureCLI'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${scriptIdentity.id}': {}
    }
  }
  properties: {
    azCliVersion: '2.61.0'
    retentionInterval: 'PT1H'
    cleanupPreference: 'Always'
    timeout: 'PT15M'
    environmentVariables: [
      {
        name: 'VAULT'
        value: vault.name
      }
      {
        name: 'SECRET'
        value: keyName
      }
    ]
    scriptContent: '''
set -eu
if az keyvault secret show --vault-name "$VAULT" --name "$SECRET" --query id -o tsv >/dev/null 2>&1; then
  echo "The identity-hash key already exists: left as it is."
else
  az keyvault secret set --vault-name "$VAULT" --name "$SECRET" --content-type "text/plain; never rotate" \
    --value "$(head -c 48 /dev/urandom | base64 | tr -d '\n=+/')" --query id -o tsv >/dev/null
  echo "The identity-hash key was created."
fi
'''
  }
  dependsOn: [
    scriptWritesSecrets
  ]
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: vault
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: 'audit'
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

output name string = vault.name
// The secret's address without a version: App Service follows it to the current version.
output identityHashKeyUri string = '${vault.properties.vaultUri}secrets/${keyName}'
