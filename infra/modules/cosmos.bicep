// Cosmos DB for NoSQL: the account, the database and the containers the code uses. Keys are off:
// the app reaches data through Cosmos SQL role assignments to its managed identity: full data rights
// on each container but the audit trail, where it may only create and read records (decision 14).

@description('Cosmos DB account name.')
@minLength(3)
@maxLength(44)
param name string

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Serverless (pay per request) or Autoscale (provisioned throughput shared by the database).')
@allowed([
  'Serverless'
  'Autoscale'
])
param throughputMode string

@description('Highest RU/s the database scales to in Autoscale mode.')
@minValue(1000)
param autoscaleMaxThroughput int

@description('Continuous backup tier: restore to any point in the last 7 or 30 days.')
@allowed([
  'Continuous7Days'
  'Continuous30Days'
])
param continuousBackupTier string

@description('Spread the account over availability zones where the region offers them.')
param zoneRedundant bool

@description('Database name (StorageNames.Database).')
param databaseName string

@description('Containers with their partition key path and default TTL (-1: per-item TTL on, no default expiry; null: TTL off).')
param containers containerSpec[]

@description('The audit trail\'s container: the app may create and read its records, never replace or delete them.')
param auditContainerName string

@description('Name of the app\'s user-assigned managed identity (same resource group).')
param appIdentityName string

@description('Log Analytics workspace that receives the diagnostic logs.')
param workspaceId string

@export()
@description('One Cosmos DB container.')
type containerSpec = {
  @description('Container name.')
  name: string

  @description('Partition key path, e.g. /ownerId.')
  partitionKeyPath: string

  @description('Default time to live: -1 lets items carry their own ttl; omit to switch TTL off.')
  defaultTtl: int?
}

// Built-in "Cosmos DB Built-in Data Contributor" (data plane; read/write items, no account management).
var dataContributorRoleId = '00000000-0000-0000-0000-000000000002'

// What appending to the audit trail and verifying it need, and nothing more: no replace, upsert,
// patch or delete of an item, no stored procedures (which could do those inside the container).
var auditAppendDataActions = [
  'Microsoft.DocumentDB/databaseAccounts/readMetadata'
  'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers/items/create'
  'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers/items/read'
  'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers/executeQuery'
  'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers/readChangeFeed'
]

var auditScope = '${account.id}/dbs/${databaseName}/colls/${auditContainerName}'

resource appIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: appIdentityName
}

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: name
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
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
    capabilities: throughputMode == 'Serverless' ? [{ name: 'EnableServerless' }] : []
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
    enableAutomaticFailover: false
    enableFreeTier: false
    backupPolicy: {
      type: 'Continuous'
      continuousModeProperties: {
        tier: continuousBackupTier
      }
    }
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
    options: throughputMode == 'Autoscale'
      ? {
          autoscaleSettings: {
            maxThroughput: autoscaleMaxThroughput
          }
        }
      : {}
  }
}

resource sqlContainers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = [
  for c in containers: {
    parent: database
    name: c.name
    properties: {
      resource: {
        id: c.name
        partitionKey: {
          paths: [
            c.partitionKeyPath
          ]
          kind: 'Hash'
          version: 2
        }
        defaultTtl: c.?defaultTtl
        indexingPolicy: {
          indexingMode: 'consistent'
          automatic: true
          includedPaths: [
            {
              path: '/*'
            }
          ]
          excludedPaths: [
            {
              path: '/"_etag"/?'
            }
          ]
        }
      }
    }
  }
]

// Data access for the app, one container at a time: a grant on the database would include the audit
// container, and Cosmos roles only add up (there is no deny).
resource appDataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = [
  for c in filter(containers, c => c.name != auditContainerName): {
    parent: account
    name: guid(account.id, appIdentity.id, dataContributorRoleId, c.name)
    properties: {
      roleDefinitionId: '${account.id}/sqlRoleDefinitions/${dataContributorRoleId}'
      principalId: appIdentity.properties.principalId
      scope: '${account.id}/dbs/${databaseName}/colls/${c.name}'
    }
    dependsOn: [
      sqlContainers
    ]
  }
]

resource auditAppender 'Microsoft.DocumentDB/databaseAccounts/sqlRoleDefinitions@2024-11-15' = {
  parent: account
  name: guid(account.id, 'audit-appender')
  properties: {
    roleName: 'Audit trail appender'
    type: 'CustomRole'
    assignableScopes: [
      auditScope
    ]
    permissions: [
      {
        dataActions: auditAppendDataActions
      }
    ]
  }
  dependsOn: [
    sqlContainers
  ]
}

resource appAuditAppender 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = {
  parent: account
  name: guid(account.id, appIdentity.id, 'audit-appender')
  properties: {
    roleDefinitionId: auditAppender.id
    principalId: appIdentity.properties.principalId
    scope: auditScope
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: account
  properties: {
    workspaceId: workspaceId
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
  }
}

output id string = account.id
output name string = account.name
output endpoint string = account.properties.documentEndpoint
