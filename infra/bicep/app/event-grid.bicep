// The Event Grid system topic of the storage account: Blob Storage publishes BlobCreated events to it. The subscription
// that delivers them to the Function App's blob trigger is in blob-event-subscription.bicep, deployed only once the app's
// code (and so its blobs_extension key) exists.
param name string
param location string
param tags object
param storageAccountId string

resource topic 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    source: storageAccountId
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

output name string = topic.name
