// CloneAI: the Azure deployment (azd: `azd up`). Subscription scope: it creates the resource group.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; part of every resource name.')
param environmentName string

@minLength(1)
@description('Primary location for all resources.')
param location string

@description('Object id of the developer running azd, given data access to Cosmos DB and Blob Storage. Empty: none.')
param principalId string = ''

@description('Microsoft Entra External ID authority host, e.g. https://contoso.ciamlogin.com/')
param entraInstance string = ''

@description('Entra (External ID) tenant id.')
param entraTenantId string = ''

@description('Client id of the API app registration: the audience of access tokens.')
param entraClientId string = ''

@description('The app role of the API app registration whose holders are admins (the roles claim of their access tokens).')
param adminAppRole string = 'Admin'

@description('Static Web Apps is offered in fewer regions than Functions.')
@allowed(['westus2', 'centralus', 'eastus2', 'westeurope', 'eastasia'])
param staticWebAppLocation string = 'westeurope'

@description('Semantic ranker plan of Azure AI Search: free (1,000 queries a month), standard, or disabled.')
@allowed(['disabled', 'free', 'standard'])
param searchSemanticSearch string = 'free'

@description('Create an Azure OpenAI account for embeddings. Off: set embeddingsEndpoint to an existing Azure OpenAI endpoint (grant the app identity Cognitive Services OpenAI User on it).')
param deployOpenAi bool = true

@description('Create the embeddings model deployment in the new Azure OpenAI account. Off: deploy it yourself under embeddingsModel.')
param deployEmbeddingModel bool = true

@description('Azure OpenAI region (model availability differs by region). Empty: location.')
param openAiLocation string = ''

@description('Existing Azure OpenAI endpoint, used when deployOpenAi is false.')
param embeddingsEndpoint string = ''

@description('Embeddings deployment (model) name: Embeddings__Model.')
param embeddingsModel string = 'text-embedding-3-small'

@description('Create the chat model deployment in the new Azure OpenAI account. Off: deploy it yourself under chatModel.')
param deployChatModel bool = true

@description('Chat deployment (model) name: Chat__Model.')
param chatModel string = 'gpt-4o-mini'

@description('Web PubSub tier: Free_F1 (20 connections), Standard_S1 or Premium_P1.')
@allowed(['Free_F1', 'Standard_S1', 'Premium_P1'])
param webPubSubSku string = 'Free_F1'

@description('Vector length of the embeddings model; the search index field must match (text-embedding-3-small: 1536).')
param embeddingsDimensions int = 1536

@description('Create Azure Communication Services Email (an Azure-managed sender domain) for session receipts. Off: the API sends no email.')
param deployEmail bool = true

@description('Where Communication Services keeps its data at rest.')
param emailDataLocation string = 'United States'

@description('Who collects wallet top-ups: test (a TEST MODE checkout, no money moves) or lago. Billing__Provider.')
@allowed(['test', 'lago'])
param billingProvider string = 'test'

@description('The platform currency (ISO 4217): wallets, prices, earnings and payouts. Billing__Currency.')
param billingCurrency string = 'USD'

@description('The platform\'s share of every session charge, in percent (a decimal number). Billing__PlatformFeePercent.')
param billingPlatformFeePercent string = '20'

@description('How creators are paid: manual (an admin pays and records the reference) or stripe-connect. Billing__PayoutProvider.')
@allowed(['manual', 'stripe-connect'])
param billingPayoutProvider string = 'manual'

@description('Lago\'s API origin (Lago Cloud or a self-hosted Lago). Lago__ApiUrl.')
param lagoApiUrl string = 'https://api.getlago.com'

@secure()
@description('Lago API key, stored as the Key Vault secret lago-api-key. Empty: not written (set the secret yourself).')
param lagoApiKey string = ''

@secure()
@description('Lago webhook HMAC key, stored as the Key Vault secret lago-webhook-hmac-key. Empty: not written.')
param lagoWebhookHmacKey string = ''

@secure()
@description('Stripe secret API key for Stripe Connect payouts, stored as the Key Vault secret stripe-api-key. Empty: not written.')
param stripeApiKey string = ''

@description('Key Vault purge protection. Once on it cannot be turned off, and a deleted vault keeps its name for 90 days.')
param keyVaultPurgeProtection bool = true

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
// Admins are the users holding this app role of the API's app registration (the token's roles claim), never an email.
var adminSettings = { Auth__AdminAppRole: adminAppRole }

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}api-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    identityPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
    corsOrigins: ['https://${web.outputs.defaultHostname}']
  }
}

module cosmos 'app/cosmos.bicep' = {
  name: 'cosmos'
  scope: rg
  params: {
    name: '${abbrs.documentDBDatabaseAccounts}${resourceToken}'
    location: location
    tags: tags
    identityPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
  }
}

module search 'app/search.bicep' = {
  name: 'search'
  scope: rg
  params: {
    name: '${abbrs.searchSearchServices}${resourceToken}'
    location: location
    tags: tags
    identityPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
    semanticSearch: searchSemanticSearch
  }
}

module openai 'app/openai.bicep' = if (deployOpenAi) {
  name: 'openai'
  scope: rg
  params: {
    name: '${abbrs.cognitiveServicesAccounts}${resourceToken}'
    location: empty(openAiLocation) ? location : openAiLocation
    tags: tags
    identityPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
    embeddingDeploymentName: embeddingsModel
    deployEmbeddingModel: deployEmbeddingModel
    chatDeploymentName: chatModel
    deployChatModel: deployChatModel
  }
}

module webPubSub 'app/web-pubsub.bicep' = {
  name: 'web-pubsub'
  scope: rg
  params: {
    name: '${abbrs.signalRServiceWebPubSub}${resourceToken}'
    location: location
    tags: tags
    identityPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
    skuName: webPubSubSku
  }
}

module email 'app/email.bicep' = if (deployEmail) {
  name: 'email'
  scope: rg
  params: {
    emailServiceName: '${abbrs.communicationEmailServices}${resourceToken}'
    communicationServiceName: '${abbrs.communicationCommunicationServices}${resourceToken}'
    tags: tags
    dataLocation: emailDataLocation
    identityPrincipalId: identity.outputs.principalId
  }
}

module keyVault 'app/key-vault.bicep' = {
  name: 'key-vault'
  scope: rg
  params: {
    name: '${abbrs.keyVaultVaults}${resourceToken}'
    location: location
    tags: tags
    identityPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
    purgeProtection: keyVaultPurgeProtection
    lagoApiKey: lagoApiKey
    lagoWebhookHmacKey: lagoWebhookHmacKey
    stripeApiKey: stripeApiKey
  }
}

var openAiEndpoint = deployOpenAi ? openai!.outputs.endpoint : embeddingsEndpoint

module api 'app/function-app.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: '${abbrs.webSitesFunctions}api-${resourceToken}'
    planName: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: union(tags, { 'azd-service-name': 'api' })
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: storage.outputs.deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    appSettings: union(adminSettings, {
      Auth__Mode: 'entra'
      Auth__PublicBaseUrl: 'https://${web.outputs.defaultHostname}'
      AzureAd__Instance: entraInstance
      AzureAd__TenantId: entraTenantId
      AzureAd__ClientId: entraClientId
      Cosmos__Endpoint: cosmos.outputs.endpoint
      Cosmos__Database: cosmos.outputs.databaseName
      Blob__ServiceUri: storage.outputs.blobEndpoint
      Blob__Container: storage.outputs.dataContainerName
      // The Event Grid blob trigger's connection ([BlobTrigger(..., Connection = "KnowledgeStorage")]), by identity.
      KnowledgeStorage__blobServiceUri: storage.outputs.blobEndpoint
      KnowledgeStorage__queueServiceUri: storage.outputs.queueEndpoint
      KnowledgeStorage__credential: 'managedidentity'
      KnowledgeStorage__clientId: identity.outputs.clientId
      Search__Endpoint: search.outputs.endpoint
      Search__SemanticRanker: string(searchSemanticSearch != 'disabled')
      Search__Dimensions: string(embeddingsDimensions)
      Embeddings__Provider: 'azure-openai'
      Embeddings__Endpoint: openAiEndpoint
      Embeddings__Model: embeddingsModel
      Chat__Provider: 'azure-openai'
      Chat__Endpoint: openAiEndpoint
      Chat__Model: chatModel
      WebPubSub__Endpoint: webPubSub.outputs.endpoint
      WebPubSub__Hub: webPubSub.outputs.hubName
      // Empty when deployEmail is false: the API then registers no email sender.
      CommunicationEmail__Endpoint: deployEmail ? email!.outputs.endpoint : ''
      CommunicationEmail__Sender: deployEmail ? email!.outputs.sender : ''
      // Money. The Lago and Stripe keys are Key Vault references, resolved with the app's identity (unused with
      // Billing__Provider=test and Billing__PayoutProvider=manual).
      Billing__Provider: billingProvider
      Billing__Currency: billingCurrency
      Billing__PlatformFeePercent: billingPlatformFeePercent
      Billing__PayoutProvider: billingPayoutProvider
      Lago__ApiUrl: lagoApiUrl
      Lago__ApiKey: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.lagoApiKeyUri})'
      Lago__WebhookHmacKey: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.lagoWebhookHmacKeyUri})'
      Stripe__ApiKey: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.stripeApiKeyUri})'
    })
    allowedOrigins: ['https://${web.outputs.defaultHostname}']
  }
}

module eventGrid 'app/event-grid.bicep' = {
  name: 'event-grid'
  scope: rg
  params: {
    name: '${abbrs.eventGridSystemTopics}${resourceToken}'
    location: location
    tags: tags
    storageAccountId: storage.outputs.id
  }
}

module web 'app/static-web-app.bicep' = {
  name: 'web'
  scope: rg
  params: {
    name: '${abbrs.webStaticSites}${resourceToken}'
    location: staticWebAppLocation
    tags: union(tags, { 'azd-service-name': 'web' })
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output AZURE_COSMOS_DATABASE string = cosmos.outputs.databaseName
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output AZURE_SEARCH_ENDPOINT string = search.outputs.endpoint
output AZURE_OPENAI_ENDPOINT string = openAiEndpoint
output AZURE_WEBPUBSUB_ENDPOINT string = webPubSub.outputs.endpoint
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.outputs.endpoint
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output AZURE_FUNCTION_APP_URL string = api.outputs.uri
// The postdeploy hook (infra/hooks/postdeploy.sh) subscribes the blob trigger to this topic.
output AZURE_EVENTGRID_SYSTEM_TOPIC string = eventGrid.outputs.name
output AZURE_STATIC_WEB_APP_URL string = 'https://${web.outputs.defaultHostname}'
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.applicationInsightsConnectionString
