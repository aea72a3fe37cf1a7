// Production: Azure operated in China (AzureChinaCloud), because the personal data of applicants
// handled by a state organ is stored inside China (PIPL art. 36). Deploy after
// `az cloud set --name AzureChinaCloud`. Flex Consumption is not offered there, so the app runs on
// Elastic Premium (Linux).
using 'main.bicep'

param environmentName = 'prod'
param location = 'chinanorth3'
param hostingPlan = 'ElasticPremium'
param elasticPremiumSku = 'EP1'
param maximumInstanceCount = 20
param cosmosThroughputMode = 'Autoscale'
param cosmosAutoscaleMaxThroughput = 4000
param cosmosBackupTier = 'Continuous30Days'
param zoneRedundant = true
param storageSkuName = 'Standard_ZRS'
param logRetentionInDays = 365

// Comma-separated https origins of the citizen and staff portals.
param portalOrigins = split(readEnvironmentVariable('ALI_PORTAL_ORIGINS'), ',')

// Issuer and audience of the identity provider the portals sign callers in with.
param authIssuer = readEnvironmentVariable('ALI_AUTH_ISSUER')
param authAudience = readEnvironmentVariable('ALI_AUTH_AUDIENCE')
param authMetadataAddress = readEnvironmentVariable('ALI_AUTH_METADATA_ADDRESS')

// One entry per department whose own system takes tasks from the `department-tasks` topic:
//   { code: '<department code>', principalId: '<object id of its service principal>' }
// Codes come from the prefecture's department register; none is assumed here.
param departments = []

// SMS through Tencent Cloud. The application id and signature come from the Tencent SMS console; the
// SecretId, SecretKey and receipt token go into the Key Vault (see infra/README.md), never here.
param smsProvider = 'Tencent'
param smsSdkAppId = readEnvironmentVariable('ALI_SMS_SDK_APP_ID', '')
param smsSignName = readEnvironmentVariable('ALI_SMS_SIGN_NAME', '')
// One entry per SMS template once Tencent has approved it, e.g.
//   'accepted.applicant': { zh: { Id: '<Tencent template id>', Params: 'caseNumber,dueDate' } }
param smsTemplates = {}
