// Delivers BlobCreated events for knowledge documents (container 'cloneai', prefix 'knowledge/') to the Function App's
// Event Grid blob trigger (BlobTriggerSource.EventGrid): the blobs extension webhook, authenticated by the host's
// 'blobs_extension' system key. That key exists only after the code is deployed and the host has started, so this module is
// not part of main.bicep: azd's postdeploy hook (infra/hooks/postdeploy.sh) waits for the key, then deploys it.
param systemTopicName string
param functionAppName string
@description('The [Function] name of the blob trigger (CloneAI.Functions DocumentUploaded.OnDocumentUploaded).')
param functionName string = 'OnDocumentUploaded'
@description('Must match Names.BlobContainer in CloneAI.Core and the trigger path.')
param containerName string = 'cloneai'
param blobPrefix string = 'knowledge/'

resource topic 'Microsoft.EventGrid/systemTopics@2022-06-15' existing = {
  name: systemTopicName
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

// The Functions host's keys (sites/host has no Bicep type definitions, so the list function is called on its id).
var blobsExtensionKey = listKeys('${functionApp.id}/host/default', functionApp.apiVersion).systemKeys.blobs_extension

resource subscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2022-06-15' = {
  parent: topic
  name: 'knowledge-uploaded'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${functionApp.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.${functionName}&code=${blobsExtensionKey}'
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    filter: {
      includedEventTypes: ['Microsoft.Storage.BlobCreated']
      subjectBeginsWith: '/blobServices/default/containers/${containerName}/blobs/${blobPrefix}'
    }
    eventDeliverySchema: 'EventGridSchema'
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}

output name string = subscription.name
