// SOC local profiles bot on Azure, sized for every partnership in England and Wales on one account:
// Azure Bot (Teams channel only), App Service (Linux, Node 20, Premium v3, at least two instances
// with an autoscale rule) running the built `dist`, Cosmos DB (autoscale throughput, continuous
// backup, zone redundant, Entra ID only), Application Insights over a Log Analytics workspace, one
// user-assigned managed identity that is the bot's own identity (no client secret anywhere), has
// the Cosmos DB data-contributor role on the database and publishes telemetry, and optionally
// private endpoints with VNet integration. Nothing here accepts a key or password: Cosmos DB, the
// Azure Bot and Application Insights have local auth off, and the web app has basic (SCM and FTP)
// publishing credentials off.
// Deploy into a resource group: see infra/README.md. Not compiled here (no Bicep CLI in this
// workplace); checked by hand against the Azure resource reference.

targetScope = 'resourceGroup'

@description('Where the app and Cosmos DB live. The Azure Bot itself is global.')
param location string = resourceGroup().location

@description('Prefix of every resource name: lower-case letters, digits and hyphens.')
@minLength(3)
@maxLength(12)
param namePrefix string = 'socprofiles'

@description('The Entra tenant of the bot\'s identity and of the partnership\'s users.')
param botTenantId string = subscription().tenantId

@description('App Service plan size: Premium v3 (zone redundancy, autoscale, VNet integration).')
@allowed(['P0v3', 'P1v3', 'P2v3', 'P3v3', 'P1mv3', 'P2mv3'])
param appServiceSku string = 'P1v3'

@description('Fewest app instances: the autoscale floor, and the count the plan starts with (2 or more; 3 spreads over three zones).')
@minValue(2)
@maxValue(30)
param appMinInstances int = 3

@description('Most app instances the autoscale rule may add.')
@minValue(2)
@maxValue(30)
param appMaxInstances int = 10

@description('Highest throughput (RU/s) Cosmos DB autoscale may reach; it scales between a tenth of this and this. Shared by the database\'s containers.')
@minValue(1000)
param cosmosMaxThroughput int = 10000

@description('Spread Cosmos DB and the App Service plan over the region\'s availability zones (the region must have them; UK South does).')
param zoneRedundant bool = true

@description('A private endpoint for Cosmos DB, the app integrated with a VNet, and public network access to Cosmos DB turned off. Operators then run `npm run admin` and `npm run import` from inside the VNet.')
param privateNetworking bool = false

@description('Address space of the VNet made when privateNetworking is on: a /24 or larger, split into an app subnet and a private-endpoint subnet.')
param vnetAddressPrefix string = '10.40.0.0/24'

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

@description('Days an audit event is kept (AUDIT_RETENTION_DAYS: Cosmos DB deletes it by item TTL that long after it was written), or forever (the default). Applies to events written after a change.')
param auditRetentionDays string = 'forever'

@description('The app\'s id in the tenant\'s Teams app catalog (TEAMS_APP_CATALOG_ID; Teams admin centre, or GET /appCatalogs/teamsApps?$filter=externalId eq \'<manifest id>\'). Set, the bot installs the app through Microsoft Graph for a task owner who has never chatted with it; this needs the identity\'s Graph application permission with admin consent (infra/README.md, step 7). Empty: such owners wait in my tasks.')
param teamsAppCatalogId string = ''

@description('Load the Merseyside demo partnership into an empty store on first start. Off in production.')
@allowed(['on', 'off'])
param demoData string = 'off'

var suffix = uniqueString(resourceGroup().id)
// Names that must be globally unique get the suffix.
var appName = '${namePrefix}-${suffix}'
var cosmosName = '${namePrefix}-${suffix}'
var databaseId = 'soc-profiles'

// Built-in role ids (documented, the same in every tenant).
var cosmosDataContributor = '00000000-0000-0000-0000-000000000002' // Cosmos DB Built-in Data Contributor (data plane)
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb' // Monitoring Metrics Publisher

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${namePrefix}-app-identity'
  location: location
}

// ---------------------------------------------------------------------------------------------
// Cosmos DB: provisioned autoscale throughput on the database (serverless is one region with no
// throughput guarantee), continuous backup (point-in-time restore, last 30 days), zones; keys
// disabled (Entra ID only), so production runs without COSMOS_KEY.
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
    backupPolicy: {
      type: 'Continuous'
      continuousModeProperties: {
        tier: 'Continuous30Days'
      }
    }
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: zoneRedundant
      }
    ]
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    disableLocalAuth: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-05-15' = {
  parent: cosmos
  name: databaseId
  properties: {
    resource: {
      id: databaseId
    }
    options: {
      autoscaleSettings: {
        maxThroughput: cosmosMaxThroughput
      }
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
      // TTL on, no default: only audit events carry a ttl, and only when a retention is set.
      defaultTtl: -1
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
          // a district's gaps and actions: the district, then as above
          [
            { path: '/record/districtId', order: 'ascending' }
            { path: '/refPrefix', order: 'ascending' }
            { path: '/refNumber', order: 'ascending' }
          ]
          // an entity's history: type and id, then time and write order
          [
            { path: '/record/entityType', order: 'ascending' }
            { path: '/record/entityId', order: 'ascending' }
            { path: '/atMs', order: 'ascending' }
            { path: '/seq', order: 'ascending' }
          ]
          // my tasks and overdue: due date, then reference prefix and number
          [
            { path: '/record/due', order: 'ascending' }
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

// Data-plane role assignments are Cosmos DB's own (sqlRoleAssignments), not Azure RBAC. Scoped to
// the app's database, not the account: the identity can touch nothing else the account may hold.
var databaseScope = '${cosmos.id}/dbs/${databaseId}'

resource appCosmosAccess 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-05-15' = {
  parent: cosmos
  name: guid(cosmos.id, identity.id, cosmosDataContributor)
  properties: {
    roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/${cosmosDataContributor}'
    principalId: identity.properties.principalId
    scope: databaseScope
  }
  dependsOn: [
    database
  ]
}

resource operatorCosmosAccess 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-05-15' = [
  for principalId in operatorPrincipalIds: {
    parent: cosmos
    name: guid(cosmos.id, principalId, cosmosDataContributor)
    properties: {
      roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/${cosmosDataContributor}'
      principalId: principalId
      scope: databaseScope
    }
    dependsOn: [
      database
    ]
  }
]

// ---------------------------------------------------------------------------------------------
// Private networking (privateNetworking): a VNet with a subnet the app's outbound traffic goes
// through (VNet integration) and one for the private endpoint of Cosmos DB, with its private DNS
// zone linked to the VNet, so the app reaches the account by its usual name.
// ---------------------------------------------------------------------------------------------

resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = if (privateNetworking) {
  name: '${namePrefix}-vnet'
  location: location
  properties: {
    addressSpace: {
      addressPrefixes: [vnetAddressPrefix]
    }
    subnets: [
      {
        name: 'app'
        properties: {
          addressPrefix: cidrSubnet(vnetAddressPrefix, 25, 0)
          delegations: [
            {
              name: 'app-service'
              properties: {
                serviceName: 'Microsoft.Web/serverFarms'
              }
            }
          ]
        }
      }
      {
        name: 'private-endpoints'
        properties: {
          addressPrefix: cidrSubnet(vnetAddressPrefix, 25, 1)
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
    ]
  }
}

var privateEndpointTargets = [
  { name: 'cosmos', id: cosmos.id, group: 'Sql', zone: 'privatelink.documents.azure.com' }
]

resource privateZones 'Microsoft.Network/privateDnsZones@2020-06-01' = [
  for target in privateEndpointTargets: if (privateNetworking) {
    name: target.zone
    location: 'global'
  }
]

resource privateZoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = [
  for (target, i) in privateEndpointTargets: if (privateNetworking) {
    parent: privateZones[i]
    name: '${namePrefix}-vnet-link'
    location: 'global'
    properties: {
      registrationEnabled: false
      virtualNetwork: {
        id: vnet.id
      }
    }
  }
]

resource privateEndpoints 'Microsoft.Network/privateEndpoints@2023-11-01' = [
  for target in privateEndpointTargets: if (privateNetworking) {
    name: '${namePrefix}-${target.name}-pe'
    location: location
    properties: {
      subnet: {
        id: '${vnet.id}/subnets/private-endpoints'
      }
      privateLinkServiceConnections: [
        {
          name: target.name
          properties: {
            privateLinkServiceId: target.id
            groupIds: [target.group]
          }
        }
      ]
    }
  }
]

resource privateDnsGroups 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2023-11-01' = [
  for (target, i) in privateEndpointTargets: if (privateNetworking) {
    parent: privateEndpoints[i]
    name: 'default'
    properties: {
      privateDnsZoneConfigs: [
        {
          name: target.name
          properties: {
            privateDnsZoneId: privateZones[i].id
          }
        }
      ]
    }
  }
]

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
    // Entra ID ingestion only: the instrumentation key in the connection string is not enough.
    DisableLocalAuth: true
  }
}

// The identity sends the telemetry (APPLICATIONINSIGHTS_AUTHENTICATION_STRING names it).
resource appPublishesTelemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: insights
  name: guid(insights.id, identity.id, monitoringMetricsPublisher)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// ---------------------------------------------------------------------------------------------
// App Service: Linux, Node 20, Premium v3 over the zones, running the built dist/main.js that the
// deployment package carries (built once by `npm run build`, never at an instance's start).
// Settings are the variables src/config.ts reads; HOST=0.0.0.0 is accepted there only because
// MicrosoftAppId is set (authentication on), here as the user-assigned identity.
// ---------------------------------------------------------------------------------------------

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${namePrefix}-plan'
  location: location
  kind: 'linux'
  sku: {
    name: appServiceSku
    capacity: appMinInstances
  }
  properties: {
    reserved: true
    zoneRedundant: zoneRedundant
  }
}

// Scale out on CPU or memory, back in when both are quiet; never below appMinInstances.
resource planAutoscale 'Microsoft.Insights/autoscalesettings@2022-10-01' = {
  name: '${namePrefix}-plan-autoscale'
  location: location
  properties: {
    enabled: true
    targetResourceUri: plan.id
    profiles: [
      {
        name: 'default'
        capacity: {
          minimum: string(appMinInstances)
          maximum: string(max(appMinInstances, appMaxInstances))
          default: string(appMinInstances)
        }
        rules: [
          {
            metricTrigger: {
              metricName: 'CpuPercentage'
              metricResourceUri: plan.id
              timeGrain: 'PT1M'
              statistic: 'Average'
              timeWindow: 'PT10M'
              timeAggregation: 'Average'
              operator: 'GreaterThan'
              threshold: 70
            }
            scaleAction: {
              direction: 'Increase'
              type: 'ChangeCount'
              value: '1'
              cooldown: 'PT5M'
            }
          }
          {
            metricTrigger: {
              metricName: 'MemoryPercentage'
              metricResourceUri: plan.id
              timeGrain: 'PT1M'
              statistic: 'Average'
              timeWindow: 'PT10M'
              timeAggregation: 'Average'
              operator: 'GreaterThan'
              threshold: 80
            }
            scaleAction: {
              direction: 'Increase'
              type: 'ChangeCount'
              value: '1'
              cooldown: 'PT5M'
            }
          }
          {
            metricTrigger: {
              metricName: 'CpuPercentage'
              metricResourceUri: plan.id
              timeGrain: 'PT1M'
              statistic: 'Average'
              timeWindow: 'PT20M'
              timeAggregation: 'Average'
              operator: 'LessThan'
              threshold: 30
            }
            scaleAction: {
              direction: 'Decrease'
              type: 'ChangeCount'
              value: '1'
              cooldown: 'PT10M'
            }
          }
        ]
      }
    ]
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
    virtualNetworkSubnetId: privateNetworking ? '${vnet.id}/subnets/app' : null
    vnetRouteAllEnabled: privateNetworking
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      // The package holds the compiled dist and production node_modules (infra/README.md, step 3).
      appCommandLine: 'node --enable-source-maps --disable-warning=DEP0111 dist/main.js'
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
        // The bot signs in as the user-assigned identity: no client secret exists to leak or rotate.
        { name: 'MicrosoftAppId', value: identity.properties.clientId }
        { name: 'MicrosoftAppType', value: 'UserAssignedMSI' }
        { name: 'MicrosoftAppTenantId', value: botTenantId }
        { name: 'HOST', value: '0.0.0.0' }
        // Only the partnership's own tenant may talk to the bot (the app registration is single tenant).
        { name: 'ALLOWED_TENANT_IDS', value: botTenantId }
        { name: 'ADMIN_AAD_OBJECT_IDS', value: join(bootstrapAdminObjectIds, ',') }
        { name: 'DEMO_DATA', value: demoData }
        { name: 'AUDIT_RETENTION_DAYS', value: auditRetentionDays }
        // Per-bot limits (Teams' send rate, the per-user command limit) are divided by the most
        // instances autoscale may run, so together they never exceed them.
        { name: 'BOT_INSTANCES', value: string(appMaxInstances) }
        // Installing the app for task owners with no chat yet (Graph, the identity's own token).
        { name: 'TEAMS_APP_CATALOG_ID', value: teamsAppCatalogId }
        { name: 'LOG_LEVEL', value: 'info' }
        // The package is built already (dist and production node_modules): no build on deploy.
        { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'false' }
        // Application Insights: the connection string, and the Linux agent that instruments Node.
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        { name: 'ApplicationInsightsAgent_EXTENSION_VERSION', value: '~3' }
        // Local auth is off on Application Insights: the agent authenticates as the identity.
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'Authorization=AAD;ClientId=${identity.properties.clientId}' }
      ]
    }
  }
  dependsOn: [
    appPublishesTelemetry
    appCosmosAccess
    partnershipData
    members
    conversations
    privateDnsGroups
  ]
}

// Deployments sign in with Entra ID (`az webapp deploy`), never with a site user name and password.
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
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
// Azure Bot: the registration Teams talks to, as the user-assigned managed identity (no app
// registration, no secret), with local auth off: only Entra ID tokens are accepted.
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
    msaAppId: identity.properties.clientId
    msaAppType: 'UserAssignedMSI'
    msaAppMSIResourceId: identity.id
    msaAppTenantId: botTenantId
    disableLocalAuth: true
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
@description('The bot\'s app id: give it to `npm run package` as MicrosoftAppId.')
output identityClientId string = identity.properties.clientId

@description('Where to look at requests, failures and logs.')
output appInsightsName string = insights.name
