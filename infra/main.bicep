// Ali Serverless: everything one environment needs, in one resource group. The same template
// deploys to the global cloud and to Azure operated in China (AzureChinaCloud): no endpoint or host
// is written here; each comes from a resource's properties or from environment().

targetScope = 'resourceGroup'

import { department } from 'modules/servicebus.bicep'

@description('Short environment name (dev, test, prod...). Part of every resource name; azd sets it from AZURE_ENV_NAME.')
@minLength(2)
@maxLength(12)
param environmentName string

@description('Region of every resource, e.g. chinanorth3 in Azure China. Defaults to the resource group\'s region.')
param location string = resourceGroup().location

@description('Function App hosting plan. Flex Consumption where the region offers it; ElasticPremium (or Consumption on Windows) elsewhere, e.g. in Azure China.')
@allowed([
  'FlexConsumption'
  'ElasticPremium'
  'Consumption'
])
param hostingPlan string = 'FlexConsumption'

@description('Elastic Premium size, used when hostingPlan is ElasticPremium.')
@allowed([
  'EP1'
  'EP2'
  'EP3'
])
param elasticPremiumSku string = 'EP1'

@description('Most instances the Function App scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Origins of the citizen and staff portals (https://...). They may call the API and upload to Blob Storage from a browser. Never "*".')
@minLength(1)
param portalOrigins string[]

@description('OpenID Connect metadata address of the identity provider that signs callers\' tokens. Defaults to Microsoft Entra ID of this tenant in the cloud being deployed to.')
param authMetadataAddress string = '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0/.well-known/openid-configuration'

@description('Expected issuer of callers\' tokens.')
@minLength(1)
param authIssuer string

@description('Expected audience of callers\' tokens (this API).')
@minLength(1)
param authAudience string

@description('Claim of staff tokens that lists the sign-in methods (Entra ID: amr), and the value that means multi-factor (mfa). Staff without it are refused.')
param staffMfaClaim string = 'amr'
param staffMfaValue string = 'mfa'

@description('Claim of applicants\' tokens carrying the resident ID number the identity provider verified (一号): their window applications are then linked to them. Empty: off.')
param identityNumberClaim string = ''

@description('Minutes an upload target (SAS URL) stays valid.')
@minValue(1)
@maxValue(60)
param uploadTargetMinutes int = 15

@description('Minutes a link to read a material (its sealed copy) stays valid.')
@minValue(1)
@maxValue(30)
param readLinkMinutes int = 5

@description('Working-day calendar layers in order: the national arrangement, the Tibet Autonomous Region, Ali prefecture (files in functions/Ali.Serverless.Functions/Calendar).')
param calendarRegions string = 'cn,540000,542500'

@description('Working days left at which electronic supervision warns that a time limit is near.')
@minValue(1)
@maxValue(10)
param nearDueWorkingDays int = 2

@description('Good and bad reviews (decision 17): working days a department has to verify, rectify and reply after a bad review (the provinces\' practice: 15).')
@minValue(1)
@maxValue(60)
param rectificationWorkingDays int = 15

@description('Audit (decision 29): true writes the records of reads, staff requests and refusals behind the answer (a process killed outright loses what it had queued, about 50 ms); false makes each such request wait for its record.')
param auditWriteReadsBehind bool = true

@description('Retention (decision 15): days a draft may stay untouched before it is deleted with its materials; years an ended case is kept (0: kept until the archive period of its items is set here).')
param retention object = {
  draftDays: 30
  completedCaseYears: 0
}

@description('Limits (decision 15): materials, declarations and declared megabytes per application; per-account rate limits per window of rateLimitWindowMinutes on opening applications, declaring materials, and actions that text the applicant (applicant side and department staff).')
param limits object = {
  maxMaterialsPerApplication: 20
  maxDeclarationsPerApplication: 50
  maxDeclaredMegabytesPerApplication: 100
  rateLimitWindowMinutes: 60
  openApplicationsPerWindow: 30
  declareMaterialsPerWindow: 120
  smsActionsPerWindow: 30
  staffSmsActionsPerWindow: 600
}

@description('Who sends SMS: Tencent (Tencent Cloud SMS) or None (every SMS refused with the reason; for environments that must text nobody).')
@allowed([
  'Tencent'
  'None'
])
param smsProvider string = 'Tencent'

@description('Base URL of the Tencent Cloud SMS API.')
param smsEndpoint string = 'https://sms.tencentcloudapi.com'

@description('Tencent Cloud region of the SMS API calls.')
param smsRegion string = 'ap-guangzhou'

@description('SMS application id (SmsSdkAppId) from the Tencent SMS console; required when smsProvider is Tencent. Not a secret.')
param smsSdkAppId string = ''

@description('The approved SMS signature (签名) every message is sent under; required when smsProvider is Tencent.')
param smsSignName string = ''

@description('Tencent\'s template for each SMS template and language: { \'<template id>\': { \'<language>\': { Id: \'<Tencent template id>\', Params: \'caseNumber,dueDate\' } } }. Params lists our placeholders in the order of the Tencent template\'s {1}, {2}...')
param smsTemplates object = {}

@description('Notifications: no SMS from quietHoursStart to quietHoursEnd (China Standard Time), at most maxSmsPerPhonePerDay per number, smsMaxAttempts tries starting smsRetryBaseSeconds apart; smsReceiptsExpected when the provider posts delivery receipts to /api/notifications/receipts.')
param notifications object = {
  quietHoursStart: 22
  quietHoursEnd: 8
  maxSmsPerPhonePerDay: 10
  smsMaxAttempts: 4
  smsRetryBaseSeconds: 2
  smsReceiptsExpected: true
}

@description('Cosmos DB throughput: Serverless (pay per request) or Autoscale (shared by the database).')
@allowed([
  'Serverless'
  'Autoscale'
])
param cosmosThroughputMode string = 'Serverless'

@description('Highest RU/s the Cosmos database scales to in Autoscale mode.')
@minValue(1000)
param cosmosAutoscaleMaxThroughput int = 1000

@description('Cosmos DB continuous backup window.')
@allowed([
  'Continuous7Days'
  'Continuous30Days'
])
param cosmosBackupTier string = 'Continuous7Days'

@description('Use availability zones where the region offers them (Cosmos DB).')
param zoneRedundant bool = false

@description('Replication of the storage account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_RAGRS'
])
param storageSkuName string = 'Standard_LRS'

@description('Service Bus tier (topics need Standard or Premium).')
@allowed([
  'Standard'
  'Premium'
])
param serviceBusSkuName string = 'Standard'

@description('Departments whose systems receive tasks: one Service Bus subscription each, filtered on the department property; principalId (optional) is granted receive on that subscription only. The app hands these departments\' tasks to their systems.')
param departments department[] = []

@description('Days Log Analytics keeps logs (at least 180: six months of network logs).')
@minValue(180)
@maxValue(730)
param logRetentionInDays int = 180

@description('Days deleted blobs and containers can be restored.')
@minValue(7)
@maxValue(365)
param blobSoftDeleteDays int = 30

@description('Days a deleted Key Vault or secret can be recovered.')
@minValue(7)
@maxValue(90)
param keyVaultSoftDeleteDays int = 90

@description('Principal that uploads the Flex Consumption package (azd passes the signed-in user as AZURE_PRINCIPAL_ID). Empty: no grant.')
param deployerPrincipalId string = ''

@description('Kind of principal named by deployerPrincipalId.')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param deployerPrincipalType string = 'User'

@description('Extra tags for every resource.')
param tags object = {}

// Names the code uses (Ali.Serverless.Storage.StorageNames); the infra tests hold them equal.
var cosmosDatabaseName = 'ali-serverless'
var cosmosContainers = [
  {
    name: 'catalog'
    partitionKeyPath: '/partitionKey'
  }
  {
    // Per-item TTL on, no default expiry: abandoned drafts carry a ttl, submitted cases do not.
    name: 'applications'
    partitionKeyPath: '/ownerId'
    defaultTtl: -1
  }
  {
    // A copy of each task in its department's partition: worklists are one-partition queries.
    name: 'tasks'
    partitionKeyPath: '/departmentCode'
  }
  {
    // Case number -> the case document's partition and id; written once per case.
    name: 'cases'
    partitionKeyPath: '/caseNumber'
  }
  {
    // Supervision warnings by responsible department.
    name: 'warnings'
    partitionKeyPath: '/departmentCode'
  }
  {
    // Notifications by recipient: an inbox is one partition.
    name: 'notifications'
    partitionKeyPath: '/recipient'
  }
  {
    // Each account's language preference.
    name: 'preferences'
    partitionKeyPath: '/subjectKey'
  }
  {
    // Rate-limit counters (decision 15): one document per account, bucket and window, each with its own
    // ttl (two windows), so per-item TTL is on with no default expiry.
    name: 'rate-limits'
    partitionKeyPath: '/subject'
    defaultTtl: -1
  }
  {
    // The audit trail (decision 11): one partition per chain (a case number or a day), id = sequence.
    // Append-only: the app's code has no replace or delete path, and its identity's role on this
    // container (modules/cosmos.bicep) allows only create, read and query. No TTL: records are kept.
    name: 'audit'
    partitionKeyPath: '/chain'
  }
  {
    // Electronic licences (decision 16): the licence in its own partition (its id: the QR code's point
    // read), a claim per number (partition number:{number}) that keeps numbers unique, and one entry per
    // holder (partition holder:{account}) for the holder's list. No TTL: licences are kept.
    name: 'licences'
    partitionKeyPath: '/partitionKey'
  }
  {
    // Good and bad reviews (decision 17): copies of the reviews the cases hold, without the typed text,
    // by the item's department: public lists are one-partition queries. No TTL: reviews count in statistics.
    name: 'evaluations'
    partitionKeyPath: '/departmentCode'
  }
  {
    // Monthly statistics (decision 18): one document per month, id and partition the period (yyyy-MM),
    // replaced whole when the month is computed again. Aggregates only; no TTL: published figures are kept.
    name: 'statistics'
    partitionKeyPath: '/period'
  }
]
var materialsContainerName = 'materials'
var workQueueNames = [
  'application-submitted'
  'case-events'
  'supervision-warnings'
  'notification-deliveries'
]
var departmentTopicName = 'department-tasks'
var deploymentContainerName = hostingPlan == 'FlexConsumption' ? 'app-package' : ''

var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var allTags = union(tags, {
  'azd-env-name': environmentName
  system: 'ali-serverless'
})

// The identity the Function App runs as; every data-plane grant below is made to it.
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-ali-${environmentName}-${token}'
  location: location
  tags: allTags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: 'log-ali-${environmentName}-${token}'
    appInsightsName: 'appi-ali-${environmentName}-${token}'
    location: location
    tags: allTags
    retentionInDays: logRetentionInDays
    appIdentityName: identity.name
  }
}

// The portal and the workbench as a static website; its origin joins the portal origins for CORS.
module web 'modules/web.bicep' = {
  name: 'web'
  params: {
    name: 'stweb${token}'
    location: location
    tags: allTags
    deployerPrincipalId: deployerPrincipalId
    deployerPrincipalType: deployerPrincipalType
  }
}

var allPortalOrigins = union(portalOrigins, [web.outputs.origin])

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: 'stali${token}'
    location: location
    tags: allTags
    skuName: storageSkuName
    materialsContainerName: materialsContainerName
    workQueueNames: workQueueNames
    deploymentContainerName: deploymentContainerName
    portalOrigins: allPortalOrigins
    softDeleteRetentionDays: blobSoftDeleteDays
    // The lifecycle rule is a backstop behind the retention sweep: the draft lifetime plus a week.
    uploadBlobLifetimeDays: retention.draftDays + 7
    appIdentityName: identity.name
    deployerPrincipalId: deployerPrincipalId
    deployerPrincipalType: deployerPrincipalType
    workspaceId: monitoring.outputs.workspaceId
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  params: {
    name: 'cosmos-ali-${environmentName}-${token}'
    location: location
    tags: allTags
    throughputMode: cosmosThroughputMode
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
    continuousBackupTier: cosmosBackupTier
    zoneRedundant: zoneRedundant
    databaseName: cosmosDatabaseName
    containers: cosmosContainers
    auditContainerName: 'audit'
    appIdentityName: identity.name
    workspaceId: monitoring.outputs.workspaceId
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: {
    name: 'sb-ali-${environmentName}-${token}'
    location: location
    tags: allTags
    skuName: serviceBusSkuName
    topicName: departmentTopicName
    departments: departments
    appIdentityName: identity.name
    workspaceId: monitoring.outputs.workspaceId
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: 'kvali${token}'
    location: location
    tags: allTags
    softDeleteRetentionDays: keyVaultSoftDeleteDays
    appIdentityName: identity.name
    workspaceId: monitoring.outputs.workspaceId
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    name: 'func-ali-${environmentName}-${token}'
    planName: 'plan-ali-${environmentName}-${token}'
    location: location
    tags: allTags
    hostingPlan: hostingPlan
    elasticPremiumSku: elasticPremiumSku
    maximumInstanceCount: maximumInstanceCount
    identityId: identity.id
    identityClientId: identity.properties.clientId
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    cosmosAccountEndpoint: cosmos.outputs.endpoint
    cosmosDatabaseName: cosmosDatabaseName
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    authMetadataAddress: authMetadataAddress
    authIssuer: authIssuer
    authAudience: authAudience
    staffMfaClaim: staffMfaClaim
    staffMfaValue: staffMfaValue
    identityNumberClaim: identityNumberClaim
    uploadTargetMinutes: uploadTargetMinutes
    readLinkMinutes: readLinkMinutes
    calendarRegions: calendarRegions
    nearDueWorkingDays: nearDueWorkingDays
    rectificationWorkingDays: rectificationWorkingDays
    auditWriteReadsBehind: auditWriteReadsBehind
    serviceBusNamespace: serviceBus.outputs.fullyQualifiedNamespace
    departmentCodes: map(departments, d => d.code)
    keyVaultUri: keyVault.outputs.uri
    smsProvider: smsProvider
    smsEndpoint: smsEndpoint
    smsRegion: smsRegion
    smsSdkAppId: smsSdkAppId
    smsSignName: smsSignName
    smsTemplates: smsTemplates
    notifications: notifications
    retention: retention
    limits: limits
    portalOrigins: allPortalOrigins
    workspaceId: monitoring.outputs.workspaceId
  }
}

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = resourceGroup().name
output SERVICE_API_NAME string = functionApp.outputs.name
output SERVICE_API_URI string = 'https://${functionApp.outputs.defaultHostName}'
output APP_IDENTITY_CLIENT_ID string = identity.properties.clientId
output COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output STORAGE_ACCOUNT_NAME string = storage.outputs.name
output STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output SERVICE_BUS_NAMESPACE string = serviceBus.outputs.name
output SERVICE_BUS_ENDPOINT string = serviceBus.outputs.endpoint
output SERVICE_BUS_TOPIC string = serviceBus.outputs.topicName
output KEY_VAULT_URI string = keyVault.outputs.uri
output WEB_STORAGE_ACCOUNT_NAME string = web.outputs.name
output WEB_ENDPOINT string = web.outputs.endpoint
