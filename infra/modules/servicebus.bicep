// Service Bus for tasks handed to departments' own systems: one topic, one subscription per
// department filtered on the message's `department` application property. Keys are off; the app
// sends to the topic (Data Sender on the topic only, nothing to receive or manage), and each
// department's system may receive from its own subscription and nothing else.

@description('Service Bus namespace name.')
@minLength(6)
@maxLength(50)
param name string

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Namespace tier. Topics need Standard or Premium.')
@allowed([
  'Standard'
  'Premium'
])
param skuName string

@description('Name of the topic departments subscribe to.')
param topicName string

@description('The departments: each gets a subscription named after its code, filtered on that code.')
param departments department[]

@description('Name of the app\'s user-assigned managed identity (same resource group).')
param appIdentityName string

@description('Log Analytics workspace that receives the diagnostic logs.')
param workspaceId string

@export()
@description('A department whose system receives its tasks from Service Bus.')
type department = {
  @description('Department code: the subscription name and the value of the department property it receives. Letters, digits and hyphens only.')
  @minLength(1)
  @maxLength(50)
  code: string

  @description('Object id of the department system\'s Entra service principal or managed identity; omit until it is known.')
  principalId: string?
}

var roles = {
  dataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  dataReceiver: '4f6d3b08-6e56-4c8d-9d2e-7ee93ba54d6e'
}

resource appIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: appIdentityName
}

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
    tier: skuName
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource topic 'Microsoft.ServiceBus/namespaces/topics@2024-01-01' = {
  parent: namespace
  name: topicName
  properties: {
    defaultMessageTimeToLive: 'P14D'
    maxSizeInMegabytes: 1024
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT10M'
    enablePartitioning: false
    supportOrdering: true
  }
}

resource subscriptions 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2024-01-01' = [
  for d in departments: {
    parent: topic
    name: d.code
    properties: {
      deadLetteringOnMessageExpiration: true
      deadLetteringOnFilterEvaluationExceptions: true
      maxDeliveryCount: 10
      lockDuration: 'PT1M'
      defaultMessageTimeToLive: 'P14D'
    }
  }
]

// Named $Default so it replaces the match-everything rule a new subscription starts with. The app sets
// the application property `department` on every message (ServiceBusDepartmentTaskPublisher).
resource filters 'Microsoft.ServiceBus/namespaces/topics/subscriptions/rules@2024-01-01' = [
  for (d, i) in departments: {
    parent: subscriptions[i]
    name: '$Default'
    properties: {
      filterType: 'SqlFilter'
      sqlFilter: {
        sqlExpression: 'department = \'${replace(d.code, '\'', '\'\'')}\''
      }
    }
  }
]

// The app publishes department tasks: send only, and only to this topic.
resource appSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(topic.id, appIdentity.id, roles.dataSender)
  scope: topic
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.dataSender)
    principalId: appIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource departmentReceivers 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (d, i) in departments: if (!empty(d.?principalId ?? '')) {
    name: guid(subscriptions[i].id, d.?principalId ?? '', roles.dataReceiver)
    scope: subscriptions[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.dataReceiver)
      principalId: d.?principalId ?? ''
      principalType: 'ServicePrincipal'
    }
  }
]

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: namespace
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

output id string = namespace.id
output name string = namespace.name
output topicName string = topic.name
output endpoint string = namespace.properties.serviceBusEndpoint
// The host name alone (https://<host>:443/ without scheme, port and path), the form the SDK and the
// Functions setting <name>__fullyQualifiedNamespace take; the suffix is the cloud's own.
output fullyQualifiedNamespace string = split(split(namespace.properties.serviceBusEndpoint, '/')[2], ':')[0]
