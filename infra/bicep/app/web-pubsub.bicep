// Azure Web PubSub: the realtime hub that chat frames and ingestion progress go through (CloneAI.Core.Names.RealtimeHub).
// Local auth is off: the app calls the REST API and mints client tokens (:generateToken) with its managed identity, which
// holds Web PubSub Service Owner. Clients cannot connect anonymously; they get a token from /api/realtime/negotiate.
param name string
param location string
param tags object
@description('The Function App identity.')
param identityPrincipalId string
@description('Optional developer principal (azd AZURE_PRINCIPAL_ID).')
param userPrincipalId string = ''
@description('Hub name the code uses (WebPubSub__Hub).')
param hubName string = 'cloneai'
@allowed(['Free_F1', 'Standard_S1', 'Premium_P1'])
param skuName string = 'Free_F1'
param capacity int = 1

// Built-in role "Web PubSub Service Owner".
var serviceOwner = '12cf5a90-567b-43ae-8102-96cf46c7d9b4'

resource pubsub 'Microsoft.SignalRService/webPubSub@2024-03-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
    capacity: capacity
  }
  properties: {
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

resource hub 'Microsoft.SignalRService/webPubSub/hubs@2024-03-01' = {
  parent: pubsub
  name: hubName
  properties: {
    anonymousConnectPolicy: 'deny'
  }
}

resource identityRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(pubsub.id, identityPrincipalId, serviceOwner)
  scope: pubsub
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', serviceOwner)
  }
}

resource userRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(userPrincipalId)) {
  name: guid(pubsub.id, userPrincipalId, serviceOwner)
  scope: pubsub
  properties: {
    principalId: userPrincipalId
    principalType: 'User'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', serviceOwner)
  }
}

output name string = pubsub.name
output endpoint string = 'https://${pubsub.properties.hostName}'
output hubName string = hub.name
