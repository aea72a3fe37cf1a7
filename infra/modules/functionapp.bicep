// The Function App (isolated worker, .NET 10) and its hosting plan. The plan is a choice:
// Flex Consumption where it is offered, otherwise Elastic Premium (Linux) or Consumption (Windows),
// e.g. in Azure operated in China. Every connection is identity-based; no setting holds a secret: the
// SMS provider's credentials are Key Vault references, resolved by App Service with the app's identity.

@description('Function App name.')
param name string

@description('Hosting plan name.')
param planName string

@description('Azure region.')
param location string

@description('Tags applied to every resource (the site also gets azd-service-name).')
param tags object

@description('Hosting plan: FlexConsumption (default), ElasticPremium or Consumption where Flex is not offered.')
@allowed([
  'FlexConsumption'
  'ElasticPremium'
  'Consumption'
])
param hostingPlan string

@description('Elastic Premium size.')
@allowed([
  'EP1'
  'EP2'
  'EP3'
])
param elasticPremiumSku string

@description('Most instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@description('Resource id of the user-assigned managed identity the app runs as.')
param identityId string

@description('Client id of that identity.')
param identityClientId string

@description('Blob endpoint of the storage account (from its primaryEndpoints).')
param storageBlobEndpoint string

@description('Queue endpoint of the storage account (from its primaryEndpoints).')
param storageQueueEndpoint string

@description('Blob container URL that holds the Flex Consumption package; empty for other plans.')
param deploymentContainerUrl string

@description('Cosmos DB account endpoint (from the account\'s documentEndpoint).')
param cosmosAccountEndpoint string

@description('Cosmos DB database name.')
param cosmosDatabaseName string

@description('Application Insights connection string (names the ingestion endpoint; no secret with local auth off).')
param appInsightsConnectionString string

@description('OpenID Connect metadata address of the identity provider.')
param authMetadataAddress string

@description('Expected token issuer.')
param authIssuer string

@description('Expected token audience.')
param authAudience string

@description('Claim of staff tokens that tells how the user signed in (MLPS level 3: staff sign in with more than one factor).')
param staffMfaClaim string

@description('Value of that claim that means a multi-factor sign-in.')
param staffMfaValue string

@description('Claim of applicants\' tokens with their verified resident ID number (一号); empty: off.')
param identityNumberClaim string

@description('Minutes an upload target (SAS URL) stays valid.')
param uploadTargetMinutes int

@description('Minutes a link to read a material stays valid.')
param readLinkMinutes int

@description('Working-day calendar layers in order (national, region, prefecture), comma-separated.')
param calendarRegions string

@description('Working days left at which supervision warns that a limit is near.')
param nearDueWorkingDays int

@description('Working days a department has to rectify and reply after a bad review.')
param rectificationWorkingDays int

@description('Whether the records of reads, staff requests and refusals are written behind the answer (decision 29).')
param auditWriteReadsBehind bool

@description('Host name of the Service Bus namespace that carries department tasks (from its serviceBusEndpoint).')
param serviceBusNamespace string

@description('Codes of the departments whose own systems take their tasks from the topic.')
param departmentCodes string[]

@description('URI of the Key Vault holding the app\'s secrets (its vaultUri, ending in a slash).')
param keyVaultUri string

@description('Key Vault secret whose enabled versions are the licence signing keys (P-256, PKCS#8 PEM); operators put them in.')
param licenceSigningKeySecretName string = 'licence-signing-key'

@description('Key Vault secret whose versions are the key-encryption key of personal data (32 random bytes, base64).')
param personalDataKekSecretName string = 'personal-data-kek'

@description('Key Vault secret holding the HMAC key of the identity-number index (32 random bytes, base64).')
param personalDataIndexKeySecretName string = 'personal-data-index-key'

@description('Who sends SMS: Tencent or None.')
param smsProvider string

@description('Base URL of the Tencent Cloud SMS API.')
param smsEndpoint string

@description('Tencent Cloud region of the SMS API calls.')
param smsRegion string

@description('SMS application id (SmsSdkAppId).')
param smsSdkAppId string

@description('The approved SMS signature.')
param smsSignName string

@description('Tencent template id and parameter order for each SMS template and language.')
param smsTemplates object

@description('Quiet hours, SMS limits and retries of notifications.')
param notifications notificationSettings

@export()
@description('Quiet hours (China Standard Time), SMS per number per day, tries and first retry wait, and whether the provider sends receipts.')
type notificationSettings = {
  @minValue(1)
  @maxValue(23)
  quietHoursStart: int
  @minValue(1)
  @maxValue(23)
  quietHoursEnd: int
  @minValue(1)
  maxSmsPerPhonePerDay: int
  @minValue(1)
  @maxValue(10)
  smsMaxAttempts: int
  @minValue(1)
  smsRetryBaseSeconds: int
  smsReceiptsExpected: bool
}

@description('Retention of drafts and ended cases (decision 15).')
param retention retentionSettings

@export()
@description('Days a draft may stay untouched; years an ended case is kept (0: until set).')
type retentionSettings = {
  @minValue(1)
  draftDays: int
  @minValue(0)
  completedCaseYears: int
}

@description('Per-application limits and per-account rate limits (decision 15).')
param limits limitSettings

@export()
@description('Per-application limits, and requests per account and window.')
type limitSettings = {
  @minValue(1)
  maxMaterialsPerApplication: int
  @minValue(1)
  maxDeclarationsPerApplication: int
  @minValue(1)
  maxDeclaredMegabytesPerApplication: int
  @minValue(1)
  rateLimitWindowMinutes: int
  @minValue(1)
  openApplicationsPerWindow: int
  @minValue(1)
  declareMaterialsPerWindow: int
  @minValue(1)
  smsActionsPerWindow: int
  @minValue(1)
  staffSmsActionsPerWindow: int
}

@description('Portal origins allowed to call the API from a browser.')
param portalOrigins string[]

@description('Log Analytics workspace that receives the function logs.')
param workspaceId string

var isFlex = hostingPlan == 'FlexConsumption'
var isLinux = hostingPlan != 'Consumption'

var planSku = {
  FlexConsumption: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  ElasticPremium: {
    name: elasticPremiumSku
    tier: 'ElasticPremium'
  }
  Consumption: {
    name: 'Y1'
    tier: 'Dynamic'
  }
}

// Settings the application code reads (Ali.Serverless.Functions.Composition.AppSettingNames).
// The infra tests compare these names with that list in both directions.
var codeSettings = [
  {
    name: 'Store__Provider'
    value: 'Cosmos'
  }
  {
    name: 'Cosmos__AccountEndpoint'
    value: cosmosAccountEndpoint
  }
  {
    name: 'Cosmos__DatabaseName'
    value: cosmosDatabaseName
  }
  {
    name: 'AzureWebJobsStorage__blobServiceUri'
    value: storageBlobEndpoint
  }
  {
    name: 'AzureWebJobsStorage__queueServiceUri'
    value: storageQueueEndpoint
  }
  {
    name: 'AzureWebJobsStorage__credential'
    value: 'managedidentity'
  }
  {
    name: 'AzureWebJobsStorage__clientId'
    value: identityClientId
  }
  {
    name: 'AZURE_CLIENT_ID'
    value: identityClientId
  }
  {
    name: 'Auth__MetadataAddress'
    value: authMetadataAddress
  }
  {
    name: 'Auth__Issuer'
    value: authIssuer
  }
  {
    name: 'Auth__Audience'
    value: authAudience
  }
  {
    name: 'Auth__StaffMfaClaim'
    value: staffMfaClaim
  }
  {
    name: 'Auth__StaffMfaValue'
    value: staffMfaValue
  }
  {
    name: 'Auth__IdentityNumberClaim'
    value: identityNumberClaim
  }
  {
    name: 'Materials__UploadTargetMinutes'
    value: string(uploadTargetMinutes)
  }
  {
    name: 'Materials__ReadLinkMinutes'
    value: string(readLinkMinutes)
  }
  {
    name: 'Calendar__Regions'
    value: calendarRegions
  }
  {
    name: 'Supervision__NearDueWorkingDays'
    value: string(nearDueWorkingDays)
  }
  {
    name: 'Reviews__RectificationWorkingDays'
    value: string(rectificationWorkingDays)
  }
  {
    name: 'Audit__WriteReadsBehind'
    value: string(auditWriteReadsBehind)
  }
  {
    name: 'ServiceBus__fullyQualifiedNamespace'
    value: serviceBusNamespace
  }
  {
    name: 'DepartmentSystems__Departments'
    value: join(departmentCodes, ',')
  }
  {
    name: 'Sms__Provider'
    value: smsProvider
  }
  {
    name: 'Sms__Endpoint'
    value: smsEndpoint
  }
  {
    name: 'Sms__Region'
    value: smsRegion
  }
  {
    name: 'Sms__SdkAppId'
    value: smsSdkAppId
  }
  {
    name: 'Sms__SignName'
    value: smsSignName
  }
  {
    // Key Vault references (no version: the latest is read, and App Service re-reads it within a day):
    // the template names the secrets; operators put their values in the vault.
    name: 'Sms__SecretId'
    value: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/sms-secret-id)'
  }
  {
    name: 'Sms__SecretKey'
    value: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/sms-secret-key)'
  }
  {
    name: 'Sms__ReceiptToken'
    value: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/sms-receipt-token)'
  }
  {
    // JSON text: app settings hold strings only.
    name: 'Sms__Tencent__Templates'
    value: string(smsTemplates)
  }
  {
    name: 'Notifications__QuietHoursStart'
    value: string(notifications.quietHoursStart)
  }
  {
    name: 'Notifications__QuietHoursEnd'
    value: string(notifications.quietHoursEnd)
  }
  {
    name: 'Notifications__MaxSmsPerPhonePerDay'
    value: string(notifications.maxSmsPerPhonePerDay)
  }
  {
    name: 'Notifications__SmsMaxAttempts'
    value: string(notifications.smsMaxAttempts)
  }
  {
    name: 'Notifications__SmsRetryBaseSeconds'
    value: string(notifications.smsRetryBaseSeconds)
  }
  {
    name: 'Notifications__SmsReceiptsExpected'
    value: string(notifications.smsReceiptsExpected)
  }
  {
    name: 'Retention__DraftDays'
    value: string(retention.draftDays)
  }
  {
    // Empty (0): ended cases are kept until the archive period of their items is set.
    name: 'Retention__CompletedCaseYears'
    value: retention.completedCaseYears == 0 ? '' : string(retention.completedCaseYears)
  }
  {
    name: 'Limits__MaxMaterialsPerApplication'
    value: string(limits.maxMaterialsPerApplication)
  }
  {
    name: 'Limits__MaxDeclarationsPerApplication'
    value: string(limits.maxDeclarationsPerApplication)
  }
  {
    name: 'Limits__MaxDeclaredMegabytesPerApplication'
    value: string(limits.maxDeclaredMegabytesPerApplication)
  }
  {
    name: 'RateLimits__WindowMinutes'
    value: string(limits.rateLimitWindowMinutes)
  }
  {
    name: 'RateLimits__OpenApplication'
    value: string(limits.openApplicationsPerWindow)
  }
  {
    name: 'RateLimits__DeclareMaterial'
    value: string(limits.declareMaterialsPerWindow)
  }
  {
    name: 'RateLimits__SmsActions'
    value: string(limits.smsActionsPerWindow)
  }
  {
    name: 'RateLimits__StaffSmsActions'
    value: string(limits.staffSmsActionsPerWindow)
  }
  {
    // Key of the phone-number hash that counts SMS per number: a secret, kept in Key Vault.
    name: 'Notifications__PhoneKey'
    value: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/notification-phone-key)'
  }
  {
    // Personal data at rest (decision 13): the app reads the KEK's versions and the index key itself with
    // the Secrets SDK (a Key Vault reference would give it only the latest version, and old data keys
    // must stay readable). Operators create both secrets; the template names them and creates no value.
    name: 'PersonalData__KeyVaultUri'
    value: keyVaultUri
  }
  {
    name: 'PersonalData__KekSecretName'
    value: personalDataKekSecretName
  }
  {
    name: 'PersonalData__IndexKeySecretName'
    value: personalDataIndexKeySecretName
  }
  {
    // Licence signing keys (decision 16): the app reads every version of this secret itself (newest
    // signs, all verify), so this names the vault and the secret, not a Key Vault reference to one value.
    name: 'Licences__KeyVaultUri'
    value: keyVaultUri
  }
  {
    name: 'Licences__SigningKeySecretName'
    value: licenceSigningKeySecretName
  }
]

// Settings the Functions host itself reads, on every plan.
var hostSettings = [
  {
    name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
    value: appInsightsConnectionString
  }
  {
    // Telemetry is sent with an Entra token of the app's identity (the component refuses keys).
    name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
    value: 'ClientId=${identityClientId};Authorization=AAD'
  }
]

// Settings only the Elastic Premium and Consumption plans take; Flex Consumption rejects them and
// carries runtime and deployment in functionAppConfig instead. No Azure Files content share: it
// would need an account key, so the app runs from its package.
var classicPlanSettings = [
  {
    name: 'FUNCTIONS_EXTENSION_VERSION'
    value: '~4'
  }
  {
    name: 'FUNCTIONS_WORKER_RUNTIME'
    value: 'dotnet-isolated'
  }
  {
    name: 'WEBSITE_RUN_FROM_PACKAGE'
    value: '1'
  }
]

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: hostingPlan == 'ElasticPremium' ? 'elastic' : 'functionapp'
  sku: planSku[hostingPlan]
  properties: {
    reserved: isLinux
    maximumElasticWorkerCount: hostingPlan == 'ElasticPremium' ? maximumInstanceCount : null
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: isLinux ? 'functionapp,linux' : 'functionapp'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: identityId
    publicNetworkAccess: 'Enabled'
    functionAppConfig: isFlex
      ? {
          deployment: {
            storage: {
              type: 'blobContainer'
              value: deploymentContainerUrl
              authentication: {
                type: 'UserAssignedIdentity'
                userAssignedIdentityResourceId: identityId
              }
            }
          }
          scaleAndConcurrency: {
            maximumInstanceCount: maximumInstanceCount
            instanceMemoryMB: 2048
          }
          runtime: {
            name: 'dotnet-isolated'
            version: '10.0'
          }
        }
      : null
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      remoteDebuggingEnabled: false
      http20Enabled: true
      linuxFxVersion: (isLinux && !isFlex) ? 'DOTNET-ISOLATED|10.0' : null
      netFrameworkVersion: isLinux ? null : 'v10.0'
      use32BitWorkerProcess: isLinux ? null : false
      cors: {
        allowedOrigins: portalOrigins
        supportCredentials: false
      }
    }
  }
}

// The app settings, written as the site's `appsettings` configuration rather than in siteConfig:
// DepartmentSystems__ApiBaseUrl, the base of the task links sent to departments, is the site's own
// default host name, which is known only once the site exists (Flex Consumption adds a generated
// suffix, and the domain differs by cloud). This resource replaces the whole collection of settings.
resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: union(toObject(concat(codeSettings, hostSettings, isFlex ? [] : classicPlanSettings), s => s.name, s => s.value), {
    DepartmentSystems__ApiBaseUrl: 'https://${site.properties.defaultHostName}'
    // The verification link in licences' QR codes starts here.
    Licences__PublicBaseUrl: 'https://${site.properties.defaultHostName}'
  })
}

// No FTP or Kudu basic-auth publishing credentials: deployments authenticate with Entra ID.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
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
        category: 'FunctionAppLogs'
        enabled: true
      }
    ]
  }
}

output id string = site.id
output name string = site.name
output defaultHostName string = site.properties.defaultHostName
