// Storage: the Functions runtime's own storage (AzureWebJobsStorage), the Flex Consumption deployment container and the
// app's data container (avatars, knowledge documents). Shared keys are off: everything signs in with Entra.
param name string
param location string
param tags object
@description('The Function App identity.')
param identityPrincipalId string
@description('Optional developer principal (azd AZURE_PRINCIPAL_ID).')
param userPrincipalId string = ''

@description('Must match Names.BlobContainer in CloneAI.Core.')
param dataContainerName string = 'cloneai'
param deploymentContainerName string = 'app-package'
@description('Origins allowed to PUT blobs with an upload SAS URL from the browser (the web app).')
param corsOrigins array = []
@description('Days a deleted or overwritten blob (and a deleted container) can be brought back (README "Backups and restore").')
@minValue(1)
@maxValue(365)
param softDeleteRetentionDays int = 14

var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: { defaultAction: 'Allow', bypass: 'AzureServices' }
  }
}

// Knowledge documents are uploaded straight from the browser with a SAS URL (PUT, x-ms-blob-type: BlockBlob).
// Backups: every overwrite keeps the previous version, and deleted blobs and containers stay restorable for
// softDeleteRetentionDays (so does a deleted account's data, until the retention ends).
resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    isVersioningEnabled: true
    deleteRetentionPolicy: { enabled: true, days: softDeleteRetentionDays }
    containerDeleteRetentionPolicy: { enabled: true, days: softDeleteRetentionDays }
    cors: {
      corsRules: empty(corsOrigins) ? [] : [
        {
          allowedOrigins: corsOrigins
          allowedMethods: ['PUT']
          allowedHeaders: ['content-type', 'x-ms-blob-type', 'x-ms-blob-content-type', 'x-ms-version', 'x-ms-client-request-id', 'x-ms-date']
          exposedHeaders: ['etag', 'x-ms-request-id']
          maxAgeInSeconds: 3600
        }
      ]
    }
  }
}

resource dataContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: dataContainerName
  properties: { publicAccess: 'None' }
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: { publicAccess: 'None' }
}

// The Functions host needs blob (leases, deployment package), queue and table access for AzureWebJobsStorage.
resource identityRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for roleId in [storageBlobDataOwner, storageQueueDataContributor, storageTableDataContributor]: {
  name: guid(storage.id, identityPrincipalId, roleId)
  scope: storage
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
  }
}]

resource userBlobRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(userPrincipalId)) {
  name: guid(storage.id, userPrincipalId, storageBlobDataContributor)
  scope: storage
  properties: {
    principalId: userPrincipalId
    principalType: 'User'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
  }
}

output name string = storage.name
output id string = storage.id
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output queueEndpoint string = storage.properties.primaryEndpoints.queue
output dataContainerName string = dataContainer.name
output deploymentContainerName string = deploymentContainer.name
