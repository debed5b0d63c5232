// Email for the API (session receipts): an Email Communication Service with an Azure-managed sender domain
// (DoNotReply@<id>.azurecomm.net, no DNS to verify), linked to a Communication Services resource that the app calls with its
// managed identity (Communication and Email Service Owner). Local auth keys exist on the resource but are never read.
param emailServiceName string
param communicationServiceName string
param tags object
@description('Where Communication Services keeps its data at rest.')
@allowed(['United States', 'Europe', 'UK', 'Australia', 'Japan', 'France', 'Switzerland', 'Germany', 'Norway', 'Canada', 'India', 'Asia Pacific', 'Africa', 'Brazil', 'Korea', 'UAE'])
param dataLocation string = 'United States'
@description('The Function App identity.')
param identityPrincipalId string

// Built-in role "Communication and Email Service Owner": it allows sending email through the resource.
var emailServiceOwner = '09976791-48a7-449e-bb21-39d1a415f350'

resource emailService 'Microsoft.Communication/emailServices@2023-04-01' = {
  name: emailServiceName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
  }
}

resource domain 'Microsoft.Communication/emailServices/domains@2023-04-01' = {
  parent: emailService
  name: 'AzureManagedDomain'
  location: 'global'
  tags: tags
  properties: {
    domainManagement: 'AzureManaged'
    userEngagementTracking: 'Disabled'
  }
}

resource communication 'Microsoft.Communication/communicationServices@2023-04-01' = {
  name: communicationServiceName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
    linkedDomains: [domain.id]
  }
}

resource identityRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(communication.id, identityPrincipalId, emailServiceOwner)
  scope: communication
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', emailServiceOwner)
  }
}

output endpoint string = 'https://${communication.properties.hostName}'
output sender string = 'DoNotReply@${domain.properties.mailFromSenderDomain}'
