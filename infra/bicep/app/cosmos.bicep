// Cosmos DB (NoSQL API), serverless. Database 'cloneai' with the containers the code uses (CloneAI.Core.Names); every
// container is partitioned by '/id': users (users, and email reservations 'email|<sha256>'), clones, slugs (one document
// per slug). Keys are disabled: the app signs in with its managed identity (Cosmos DB Built-in Data Contributor).
param name string
param location string
param tags object
@description('The Function App identity.')
param identityPrincipalId string
@description('Optional developer principal (azd AZURE_PRINCIPAL_ID).')
param userPrincipalId string = ''

param databaseName string = 'cloneai'
var containerNames = ['users', 'clones', 'slugs']

// Built-in data-plane role "Cosmos DB Built-in Data Contributor".
var dataContributorRoleId = '00000000-0000-0000-0000-000000000002'

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: name
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    consistencyPolicy: { defaultConsistencyLevel: 'Session' }
    locations: [
      { locationName: location, failoverPriority: 0, isZoneRedundant: false }
    ]
    capabilities: [ { name: 'EnableServerless' } ]
    disableLocalAuth: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: { id: databaseName }
  }
}

resource containers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = [for containerName in containerNames: {
  parent: database
  name: containerName
  properties: {
    resource: {
      id: containerName
      partitionKey: { paths: ['/id'], kind: 'Hash', version: 2 }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [ { path: '/*' } ]
        excludedPaths: [ { path: '/"_etag"/?' } ]
      }
    }
  }
}]

var dataContributorDefinitionId = '${account.id}/sqlRoleDefinitions/${dataContributorRoleId}'

resource identityData 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = {
  parent: account
  name: guid(account.id, identityPrincipalId, dataContributorRoleId)
  properties: {
    principalId: identityPrincipalId
    roleDefinitionId: dataContributorDefinitionId
    scope: account.id
  }
}

resource userData 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = if (!empty(userPrincipalId)) {
  parent: account
  name: guid(account.id, userPrincipalId, dataContributorRoleId)
  properties: {
    principalId: userPrincipalId
    roleDefinitionId: dataContributorDefinitionId
    scope: account.id
  }
}

output name string = account.name
output endpoint string = account.properties.documentEndpoint
output databaseName string = database.name
