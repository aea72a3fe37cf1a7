// The web front ends (the portal at /, the workbench at /workbench/) as a Storage static website:
// an account of their own, apart from the materials, so the public pages share nothing with personal
// data. Static websites exist in Azure and in Azure China alike (Static Web Apps do not run in China).
// ARM cannot switch the static website on: the deployment hook (scripts/deploy-web.sh, run by azd after
// deploy) does it and uploads web/dist to the $web container with the deployer's Entra ID sign-in.

@description('Storage account name (3-24 lower-case letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Principal id of whoever uploads the pages (for example azd\'s signed-in user); empty for none.')
param deployerPrincipalId string

@description('Kind of principal named by deployerPrincipalId.')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param deployerPrincipalType string

var blobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    supportsHttpsTrafficOnly: true
    minimumTlsVersion: 'TLS1_2'
    // The static website endpoint serves $web to anyone without this; every other container stays private.
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowCrossTenantReplication: false
    publicNetworkAccess: 'Enabled'
  }
}

// Whoever deploys the pages may write blobs ($web) in this account and no other.
resource deployerBlob 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(account.id, deployerPrincipalId, blobDataContributor)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobDataContributor)
    principalId: deployerPrincipalId
    principalType: deployerPrincipalType
  }
}

output name string = account.name

@description('The static website endpoint, in the domain of the cloud the account is in (Azure or Azure China).')
output endpoint string = account.properties.primaryEndpoints.web

@description('The same as an origin (no trailing slash), for the API\'s and the materials\' CORS.')
output origin string = take(account.properties.primaryEndpoints.web, length(account.properties.primaryEndpoints.web) - 1)
