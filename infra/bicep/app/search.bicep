// Azure AI Search: the knowledge index (hybrid BM25 + HNSW vectors, RRF, optional semantic ranker). Keys are disabled:
// the app creates and fills the index with its managed identity (Search Service Contributor for the index definition,
// Search Index Data Contributor for documents and queries).
param name string
param location string
param tags object
@description('The Function App identity.')
param identityPrincipalId string
@description('Optional developer principal (azd AZURE_PRINCIPAL_ID).')
param userPrincipalId string = ''

@allowed(['basic', 'standard', 'standard2', 'standard3'])
param sku string = 'basic'
@description('Semantic ranker plan: free (1,000 queries a month), standard, or disabled.')
@allowed(['disabled', 'free', 'standard'])
param semanticSearch string = 'free'

var searchIndexDataContributor = '8ebe5a00-799e-43f5-93ac-243d3dce84a7'
var searchServiceContributor = '7ca78c08-252a-4471-8644-bb5ff32d4ba0'

resource search 'Microsoft.Search/searchServices@2023-11-01' = {
  name: name
  location: location
  tags: tags
  sku: { name: sku }
  properties: {
    replicaCount: 1
    partitionCount: 1
    hostingMode: 'default'
    publicNetworkAccess: 'enabled'
    // Entra ID only; authOptions (API keys) must be absent when local auth is off.
    disableLocalAuth: true
    semanticSearch: semanticSearch
  }
}

resource identityRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for roleId in [searchIndexDataContributor, searchServiceContributor]: {
  name: guid(search.id, identityPrincipalId, roleId)
  scope: search
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
  }
}]

resource userRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for roleId in (empty(userPrincipalId) ? [] : [searchIndexDataContributor, searchServiceContributor]): {
  name: guid(search.id, userPrincipalId, roleId)
  scope: search
  properties: {
    principalId: userPrincipalId
    principalType: 'User'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
  }
}]

output name string = search.name
output endpoint string = 'https://${search.name}.search.windows.net'
