// Log Analytics workspace and workspace-based Application Insights. Both refuse key-based
// ingestion/queries: telemetry is accepted only with a Microsoft Entra token.

@description('Name of the Log Analytics workspace.')
param workspaceName string

@description('Name of the Application Insights component.')
param appInsightsName string

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Days the workspace keeps logs. China\'s Cybersecurity Law (art. 21) asks for network logs to be kept at least six months.')
@minValue(30)
@maxValue(730)
param retentionInDays int

@description('Name of the app\'s user-assigned managed identity: it may publish telemetry (Monitoring Metrics Publisher) and nothing else here.')
param appIdentityName string

// Monitoring Metrics Publisher: what Entra-authenticated Application Insights ingestion needs.
var monitoringMetricsPublisherRoleId = '3913510d-42f4-4e42-8a64-420c390055eb'

resource appIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: appIdentityName
}

resource workspace 'Microsoft.OperationalInsights/workspaces@2022-10-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
    features: {
      disableLocalAuth: true
      enableLogAccessUsingOnlyResourcePermissions: true
    }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
    DisableIpMasking: false
    IngestionMode: 'LogAnalytics'
  }
}

resource publisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, appIdentity.id, monitoringMetricsPublisherRoleId)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisherRoleId)
    principalId: appIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

output workspaceId string = workspace.id
output appInsightsName string = appInsights.name
// The connection string names the ingestion endpoint of the cloud the component lives in. It holds
// no secret: with DisableLocalAuth the instrumentation key alone cannot write telemetry.
output appInsightsConnectionString string = appInsights.properties.ConnectionString
