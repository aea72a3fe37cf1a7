// The storage account shared by the Functions host (AzureWebJobsStorage) and the application:
// the materials container that browsers upload into, and the work queues with their -poison queues.
// Shared keys are off, so every caller (the app, the host, an operator) uses Microsoft Entra ID and
// upload links are user-delegation SAS.

@description('Storage account name (3-24 lower-case letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Replication of the account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_RAGRS'
])
param skuName string

@description('Blob container that receives applicants\' materials.')
param materialsContainerName string

@description('Work queues the app reads; each also gets its "-poison" queue.')
param workQueueNames string[]

@description('Container that holds the Flex Consumption deployment package; empty when the plan is not Flex.')
param deploymentContainerName string

@description('Portal origins that may upload to Blob Storage from a browser.')
param portalOrigins string[]

@description('Days deleted blobs and containers can be restored.')
@minValue(7)
@maxValue(365)
param softDeleteRetentionDays int

@description('Days after its last write an upload blob is deleted by the lifecycle rule (the draft lifetime plus a margin; decision 15).')
@minValue(1)
param uploadBlobLifetimeDays int

@description('Name of the app\'s user-assigned managed identity (same resource group).')
param appIdentityName string

@description('Principal id of whoever uploads the deployment package (for example azd\'s signed-in user); empty for none.')
param deployerPrincipalId string

@description('Kind of principal named by deployerPrincipalId.')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param deployerPrincipalType string

@description('Log Analytics workspace that receives the diagnostic logs.')
param workspaceId string

var roles = {
  blobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  blobDelegator: 'db58b8e5-c6ad-4a2a-8342-4190687cbf4a'
  queueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
}

var allQueueNames = flatten(map(workQueueNames, q => [q, '${q}-poison']))

resource appIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: appIdentityName
}

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    supportsHttpsTrafficOnly: true
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowCrossTenantReplication: false
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
    encryption: {
      keySource: 'Microsoft.Storage'
      requireInfrastructureEncryption: true
      services: {
        blob: {
          enabled: true
          keyType: 'Account'
        }
        queue: {
          enabled: true
          keyType: 'Account'
        }
      }
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    isVersioningEnabled: true
    deleteRetentionPolicy: {
      enabled: true
      days: softDeleteRetentionDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: softDeleteRetentionDays
    }
    cors: {
      corsRules: [
        {
          // Browsers PUT materials straight to Blob Storage with a user-delegation SAS.
          allowedOrigins: portalOrigins
          allowedMethods: [
            'PUT'
          ]
          // content-md5: Blob Storage checks each block (and a single PUT) against it (decision 21).
          allowedHeaders: [
            'x-ms-blob-type'
            'content-type'
            'x-ms-*'
            'content-md5'
          ]
          exposedHeaders: [
            'x-ms-*'
            'etag'
          ]
          maxAgeInSeconds: 3600
        }
      ]
    }
  }
}

resource materials 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: materialsContainerName
  properties: {
    publicAccess: 'None'
  }
}

// Retention (decision 15). Upload blobs are named {applicationId}/{materialId}, and application ids are 32
// lower-case hex characters, so the sixteen hex prefixes match every upload blob and nothing else: sealed
// copies live under verified/ ('v' is no hex digit) and are never touched by this rule. An upload blob only
// serves verification (staff read the sealed copy), so deleting it by age is right whatever its case's
// state: for a live draft, an upload left unverified that long is simply uploaded again. The retention sweep
// deletes expired drafts' blobs first; this rule catches what it could not (a draft removed by Cosmos DB's TTL,
// an upload URL reused after submission). With versioning on, a deletion leaves a previous version: those
// are deleted once the restore window (soft delete) has passed, so deleted materials do not live on.
var hexDigits = [
  '0'
  '1'
  '2'
  '3'
  '4'
  '5'
  '6'
  '7'
  '8'
  '9'
  'a'
  'b'
  'c'
  'd'
  'e'
  'f'
]

resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'delete-upload-blobs'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [for d in hexDigits: '${materialsContainerName}/${d}']
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterModificationGreaterThan: uploadBlobLifetimeDays
                }
              }
            }
          }
        }
        {
          name: 'delete-previous-versions-of-materials'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                '${materialsContainerName}/'
              ]
            }
            actions: {
              version: {
                delete: {
                  daysAfterCreationGreaterThan: softDeleteRetentionDays
                }
              }
            }
          }
        }
      ]
    }
  }
  dependsOn: [
    materials
  ]
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = if (!empty(deploymentContainerName)) {
  parent: blobService
  name: empty(deploymentContainerName) ? 'unused' : deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [
  for queueName in allQueueNames: {
    parent: queueService
    name: queueName
  }
]

// The app reads and writes materials and the Functions host keeps its leases and keys in blobs
// of the same account: Blob Data Contributor on the account, nothing broader.
resource appBlob 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, appIdentity.id, roles.blobDataContributor)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobDataContributor)
    principalId: appIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// A user-delegation key (for upload SAS) is an account-level operation.
resource appDelegator 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, appIdentity.id, roles.blobDelegator)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobDelegator)
    principalId: appIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Queue triggers, the app's own sends and the host's poison-queue moves.
resource appQueue 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, appIdentity.id, roles.queueDataContributor)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.queueDataContributor)
    principalId: appIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Whoever publishes the app package may write to the deployment container only.
resource deployerBlob 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deploymentContainerName) && !empty(deployerPrincipalId)) {
  name: guid(account.id, deployerPrincipalId, roles.blobDataContributor, deploymentContainerName)
  scope: deploymentContainer
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobDataContributor)
    principalId: deployerPrincipalId
    principalType: deployerPrincipalType
  }
}

resource accountDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: account
  properties: {
    workspaceId: workspaceId
    metrics: [
      {
        category: 'Transaction'
        enabled: true
      }
    ]
  }
}

resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: blobService
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
  }
}

resource queueDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: queueService
  properties: {
    workspaceId: workspaceId
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
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output deploymentContainerUrl string = empty(deploymentContainerName) ? '' : '${account.properties.primaryEndpoints.blob}${deploymentContainerName}'
