// Azure OpenAI: the embeddings model for knowledge ingestion and retrieval, and the chat model that answers in sessions. Keys are disabled: the app calls it with its
// managed identity (Cognitive Services OpenAI User). The custom subdomain is what makes Entra ID sign-in possible.
param name string
param location string
param tags object
@description('The Function App identity.')
param identityPrincipalId string
@description('Optional developer principal (azd AZURE_PRINCIPAL_ID).')
param userPrincipalId string = ''

@description('Deployment name the app calls (Embeddings__Model).')
param embeddingDeploymentName string = 'text-embedding-3-small'
param embeddingModelName string = 'text-embedding-3-small'
param embeddingModelVersion string = '1'
@description('Create the embeddings model deployment. Off: deploy a model yourself (quota, region) under embeddingDeploymentName.')
param deployEmbeddingModel bool = true
@allowed(['Standard', 'GlobalStandard'])
param embeddingDeploymentSku string = 'GlobalStandard'
@description('Capacity in thousands of tokens per minute.')
param embeddingDeploymentCapacity int = 30

@description('Chat deployment name the app calls (Chat__Model).')
param chatDeploymentName string = 'gpt-4o-mini'
param chatModelName string = 'gpt-4o-mini'
param chatModelVersion string = '2024-07-18'
@description('Create the chat model deployment. Off: deploy a model yourself under chatDeploymentName.')
param deployChatModel bool = true
@allowed(['Standard', 'GlobalStandard'])
param chatDeploymentSku string = 'GlobalStandard'
@description('Capacity in thousands of tokens per minute.')
param chatDeploymentCapacity int = 30

var openAiUser = '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'

resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  name: name
  location: location
  tags: tags
  kind: 'OpenAI'
  sku: { name: 'S0' }
  properties: {
    customSubDomainName: name
    publicNetworkAccess: 'Enabled'
    disableLocalAuth: true
    networkAcls: { defaultAction: 'Allow' }
  }
}

resource embeddings 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = if (deployEmbeddingModel) {
  parent: account
  name: embeddingDeploymentName
  sku: {
    name: embeddingDeploymentSku
    capacity: embeddingDeploymentCapacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: embeddingModelName
      version: embeddingModelVersion
    }
    versionUpgradeOption: 'OnceNewDefaultVersionAvailable'
  }
}

// Deployments of one account are created one after another.
resource chat 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = if (deployChatModel) {
  parent: account
  name: chatDeploymentName
  sku: {
    name: chatDeploymentSku
    capacity: chatDeploymentCapacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: chatModelName
      version: chatModelVersion
    }
    versionUpgradeOption: 'OnceNewDefaultVersionAvailable'
  }
  dependsOn: [embeddings]
}

resource identityRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, identityPrincipalId, openAiUser)
  scope: account
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', openAiUser)
  }
}

resource userRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(userPrincipalId)) {
  name: guid(account.id, userPrincipalId, openAiUser)
  scope: account
  properties: {
    principalId: userPrincipalId
    principalType: 'User'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', openAiUser)
  }
}

output name string = account.name
output endpoint string = account.properties.endpoint
output embeddingDeploymentName string = embeddingDeploymentName
output chatDeploymentName string = chatDeploymentName
