// SOC local profiles bot on Azure: Azure Bot (Teams channel), App Service (Linux, Node 20) running
// `npm start`, Cosmos DB (serverless, Entra ID only), Key Vault holding the bot's client secret,
// Application Insights over a Log Analytics workspace, and one user-assigned managed identity that
// reads the secret and has the Cosmos DB data-contributor role.
// Deploy into a resource group: see infra/README.md. Not compiled here (no Bicep CLI in this
// workplace); checked by hand against the Azure resource reference.

targetScope = 'resourceGroup'

@description('Where the app, Cosmos DB and Key Vault live. The Azure Bot itself is global.')
param location string = resourceGroup().location

@description('Prefix of every resource name: lower-case letters, digits and hyphens.')
@minLength(3)
@maxLength(12)
param namePrefix string = 'socprofiles'

@description('Application (client) ID of the bot\'s Entra app registration (single tenant). Create it first: see README.')
param botAppId string

@description('A client secret of that app registration. Stored only in Key Vault.')
@secure()
param botAppPassword string

@description('The Entra tenant of the app registration and of the partnership\'s users.')
param botTenantId string = subscription().tenantId

@description('App Service plan size. B1 is enough for a partnership; P0v3 for zone redundancy and more memory.')
param appServiceSku string = 'B1'

@description('Azure Bot pricing tier: F0 (free, standard channels such as Teams are unlimited) or S1.')
@allowed(['F0', 'S1'])
param botSku string = 'F0'

@description('Object ids of people or groups who run `npm run admin` and `npm run import` against this Cosmos DB account (data contributor). The app\'s identity gets the role regardless.')
param operatorPrincipalIds array = []

@description('Entra object ids of members made partnership admin at every start (ADMIN_AAD_OBJECT_IDS): the first admin of a new partnership. They must already be members (npm run admin).')
param bootstrapAdminObjectIds array = []

@description('Days Log Analytics keeps the app\'s logs and telemetry (30 to 730).')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 90

@description('Load the Merseyside demo partnership into an empty store on first start. Off in production.')
@allowed(['on', 'off'])
param demoData string = 'off'

var suffix = uniqueString(resourceGroup().id)
// Names that must be globally unique get the suffix; Key Vault names are at most 24 characters.
var appName = '${namePrefix}-${suffix}'
var cosmosName = '${namePrefix}-${suffix}'
var keyVaultName = take('${namePrefix}kv${suffix}', 24)
var databaseId = 'soc-profiles'

// Built-in role ids (documented, the same in every tenant).
var cosmosDataContributor = '00000000-0000-0000-0000-000000000002' // Cosmos DB Built-in Data Contributor (data plane)
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6' // Key Vault Secrets User

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${namePrefix}-app-identity'
  location: location
}

// ---------------------------------------------------------------------------------------------
// Cosmos DB: serverless, keys disabled (Entra ID only), so production runs without COSMOS_KEY.
// Database, containers, partition keys and indexing policies exactly as
// src/store/cosmos/containers.ts defines them (the source of truth); with data-plane RBAC the app
// cannot create them itself.
// ---------------------------------------------------------------------------------------------

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {
  name: cosmosName
  location: location
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    capabilities: [
      { name: 'EnableServerless' }
    ]
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    disableLocalAuth: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-05-15' = {
  parent: cosmos
  name: databaseId
  properties: {
    resource: {
      id: databaseId
    }
  }
}

resource partnershipData 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = {
  parent: database
  name: 'partnership-data'
  properties: {
    resource: {
      id: 'partnership-data'
      partitionKey: {
        paths: ['/partnershipId']
        kind: 'Hash'
      }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [
          { path: '/*' }
        ]
        excludedPaths: [
          { path: '/"_etag"/?' }
          { path: '/record/threat/*' }
          { path: '/record/vulnerabilities/*' }
          { path: '/record/dataSources/*' }
          { path: '/record/recommendations/*' }
          { path: '/record/before/*' }
          { path: '/record/after/*' }
          { path: '/record/onsCodes/*' }
          { path: '/facts/*' }
        ]
        compositeIndexes: [
          // agencies and districts: by name, then id
          [
            { path: '/record/name', order: 'ascending' }
            { path: '/id', order: 'ascending' }
          ]
          // severity ranking: rank, then district id
          [
            { path: '/rank', order: 'ascending' }
            { path: '/record/districtId', order: 'ascending' }
          ]
          // gaps and actions: reference prefix, then number
          [
            { path: '/refPrefix', order: 'ascending' }
            { path: '/refNumber', order: 'ascending' }
          ]
          // audit events: by time, then the order they were written
          [
            { path: '/atMs', order: 'ascending' }
            { path: '/seq', order: 'ascending' }
          ]
          // board channels: when added, then conversation id
          [
            { path: '/addedMs', order: 'ascending' }
            { path: '/record/conversationId', order: 'ascending' }
          ]
        ]
      }
    }
  }
}

resource members 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = {
  parent: database
  name: 'members'
  properties: {
    resource: {
      id: 'members'
      partitionKey: {
        paths: ['/id']
        kind: 'Hash'
      }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [
          { path: '/*' }
        ]
        excludedPaths: [
          { path: '/"_etag"/?' }
        ]
        compositeIndexes: [
          [
            { path: '/record/displayName', order: 'ascending' }
            { path: '/id', order: 'ascending' }
          ]
        ]
      }
    }
  }
}

resource conversations 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = {
  parent: database
  name: 'conversations'
  properties: {
    resource: {
      id: 'conversations'
      partitionKey: {
        paths: ['/tenantId']
        kind: 'Hash'
      }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [
          { path: '/*' }
        ]
        excludedPaths: [
          { path: '/"_etag"/?' }
          { path: '/record/reference/*' }
        ]
      }
    }
  }
}

// Data-plane role assignments are Cosmos DB's own (sqlRoleAssignments), not Azure RBAC.
resource appCosmosAccess 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-05-15' = {
  parent: cosmos
  name: guid(cosmos.id, identity.id, cosmosDataContributor)
  properties: {
    roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/${cosmosDataContributor}'
    principalId: identity.properties.principalId
    scope: cosmos.id
  }
}

resource operatorCosmosAccess 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-05-15' = [
  for principalId in operatorPrincipalIds: {
    parent: cosmos
    name: guid(cosmos.id, principalId, cosmosDataContributor)
    properties: {
      roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/${cosmosDataContributor}'
      principalId: principalId
      scope: cosmos.id
    }
  }
]

// ---------------------------------------------------------------------------------------------
// Key Vault: the bot's client secret, read by the app's identity through a Key Vault reference.
// ---------------------------------------------------------------------------------------------

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource botSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: 'MicrosoftAppPassword'
  properties: {
    value: botAppPassword
    contentType: 'Entra ID client secret of the bot app registration'
  }
}

resource appReadsSecret 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: botSecret
  name: guid(botSecret.id, identity.id, keyVaultSecretsUser)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// ---------------------------------------------------------------------------------------------
// Monitoring: Application Insights (workspace-based) with the App Service agent on Linux, which
// instruments Node without code changes; the app's console (pino JSON lines, ids only, never
// message text) and HTTP logs go to the same workspace.
// ---------------------------------------------------------------------------------------------

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${namePrefix}-logs-${suffix}'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${namePrefix}-insights-${suffix}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'Node.JS'
    WorkspaceResourceId: workspace.id
    RetentionInDays: logRetentionDays
  }
}

// ---------------------------------------------------------------------------------------------
// App Service: Linux, Node 20, `npm start` (which builds, then runs dist/main.js).
// Settings are the variables src/config.ts reads; HOST=0.0.0.0 is accepted there only because
// MicrosoftAppId and MicrosoftAppPassword are set (authentication on).
// ---------------------------------------------------------------------------------------------

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${namePrefix}-plan'
  location: location
  kind: 'linux'
  sku: {
    name: appServiceSku
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2023-12-01' = {
  name: appName
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
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      appCommandLine: 'npm start'
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/healthz'
      appSettings: [
        { name: 'STORE', value: 'cosmos' }
        { name: 'COSMOS_ENDPOINT', value: cosmos.properties.documentEndpoint }
        { name: 'COSMOS_DATABASE', value: databaseId }
        // DefaultAzureCredential picks the user-assigned identity by its client id.
        { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
        { name: 'MicrosoftAppId', value: botAppId }
        { name: 'MicrosoftAppType', value: 'SingleTenant' }
        { name: 'MicrosoftAppTenantId', value: botTenantId }
        { name: 'MicrosoftAppPassword', value: '@Microsoft.KeyVault(SecretUri=${botSecret.properties.secretUri})' }
        { name: 'HOST', value: '0.0.0.0' }
        // Only the partnership's own tenant may talk to the bot (the app registration is single tenant).
        { name: 'ALLOWED_TENANT_IDS', value: botTenantId }
        { name: 'ADMIN_AAD_OBJECT_IDS', value: join(bootstrapAdminObjectIds, ',') }
        { name: 'DEMO_DATA', value: demoData }
        { name: 'LOG_LEVEL', value: 'info' }
        // Oryx installs dependencies (dev ones too: `npm start` compiles TypeScript) on zip deploy.
        { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'true' }
        // Application Insights: the connection string, and the Linux agent that instruments Node.
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        { name: 'ApplicationInsightsAgent_EXTENSION_VERSION', value: '~3' }
      ]
    }
  }
  dependsOn: [
    appReadsSecret
    appCosmosAccess
    partnershipData
    members
    conversations
  ]
}

resource appLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: app
  properties: {
    workspaceId: workspace.id
    logs: [
      { category: 'AppServiceConsoleLogs', enabled: true }
      { category: 'AppServiceHTTPLogs', enabled: true }
      { category: 'AppServicePlatformLogs', enabled: true }
    ]
  }
}

// ---------------------------------------------------------------------------------------------
// Azure Bot: the registration Teams talks to, single tenant, with the Teams channel on.
// ---------------------------------------------------------------------------------------------

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${namePrefix}-bot-${suffix}'
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: 'SOC Local Profiles'
    endpoint: 'https://${app.properties.defaultHostName}/api/messages'
    msaAppId: botAppId
    msaAppType: 'SingleTenant'
    msaAppTenantId: botTenantId
    developerAppInsightsApplicationId: insights.properties.AppId
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
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

// Azure creates a Web Chat channel with every bot; its default site is turned off so only Teams can
// reach the bot (the bot also drops any activity whose channelId is not msteams). No Direct Line
// or other channel is declared.
resource webChat 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'WebChatChannel'
  location: 'global'
  properties: {
    channelName: 'WebChatChannel'
    properties: {
      sites: [
        {
          siteName: 'Default Site'
          isEnabled: false
          isWebchatPreviewEnabled: false
        }
      ]
    }
  }
}

@description('The messaging endpoint registered with the Azure Bot.')
output botEndpoint string = bot.properties.endpoint

@description('Give this to `npm run package` as BOT_DOMAIN.')
output botDomain string = app.properties.defaultHostName

@description('COSMOS_ENDPOINT for running `npm run admin` and `npm run import` against this account.')
output cosmosEndpoint string = cosmos.properties.documentEndpoint

output appName string = app.name
output keyVaultName string = keyVault.name
output identityClientId string = identity.properties.clientId

@description('Where to look at requests, failures and logs.')
output appInsightsName string = insights.name
