// Cosmos DB (NoSQL API), serverless. Database 'cloneai' with the containers the code uses (CloneAI.Core.Names): users
// (users, and email reservations 'email|<sha256>'), clones and slugs (one document per slug) are partitioned by '/id';
// documents (knowledge documents, and their 'sha|<sha256>' reservations) by '/cloneId', so a clone's knowledge base is one
// logical partition; sessions (a chat session, its messages and usage events) by '/sessionId', so an exchange is one
// transactional batch; ledger (ledger transactions, entries, wallet balances and pending-leg markers) by '/account', so an
// account's legs and its balance are one batch; topups, summaries (session summaries) and memories (memory items, per-clone
// settings and checklist ticks) by '/userId'; payouts by '/creatorId'; billing (the billing outbox and applied webhooks) by
// '/id'; audit (the admin audit log) by '/shard' (one of 16, from the entry's id); limits (the throttles' windows, with TTL)
// by '/id'. Keys are disabled: the app signs in with its managed identity (Cosmos DB Built-in Data Contributor).
param name string
param location string
param tags object
@description('The Function App identity.')
param identityPrincipalId string
@description('Optional developer principal (azd AZURE_PRINCIPAL_ID).')
param userPrincipalId string = ''

param databaseName string = 'cloneai'
@description('Continuous backup (point-in-time restore to any second of the window): Continuous7Days is free, Continuous30Days is billed per GB.')
@allowed([ 'Continuous7Days', 'Continuous30Days' ])
param backupTier string = 'Continuous7Days'
var containerDefinitions = [
  { name: 'users', partitionKey: '/id', excludedPaths: [] }
  { name: 'clones', partitionKey: '/id', excludedPaths: [] }
  { name: 'slugs', partitionKey: '/id', excludedPaths: [] }
  // Summaries and stage timings are read, never filtered on: not indexing them makes every ingestion update cheaper.
  { name: 'documents', partitionKey: '/cloneId', excludedPaths: [ { path: '/summary/?' }, { path: '/stageSeconds/*' } ] }
  // Message texts and citations are read, never filtered on.
  { name: 'sessions', partitionKey: '/sessionId', excludedPaths: [ { path: '/message/*' } ] }
  // The transaction each entry carries is read, never filtered on.
  { name: 'ledger', partitionKey: '/account', excludedPaths: [ { path: '/transaction/*' } ] }
  { name: 'topups', partitionKey: '/userId', excludedPaths: [] }
  { name: 'payouts', partitionKey: '/creatorId', excludedPaths: [] }
  { name: 'billing', partitionKey: '/id', excludedPaths: [] }
  // Users' memory items, per-clone settings and checklist ticks (issue 14), each user one logical partition. The items'
  // texts are read, never filtered on.
  { name: 'memories', partitionKey: '/userId', excludedPaths: [ { path: '/item/text/?' } ] }
  // Session summaries (one per session, read by its user): their texts are read, never filtered on.
  { name: 'summaries', partitionKey: '/userId', excludedPaths: [ { path: '/summary/*' } ] }
  // The audit log of admin actions (issue 15), spread over 16 shards by the entry's id, so that an id is stored once. The
  // entries themselves are read, never filtered on.
  { name: 'audit', partitionKey: '/shard', excludedPaths: [ { path: '/entry/*' } ] }
  // Moderation (issue 15): reports of clones and answers, each clone one logical partition (its open reports are counted
  // there); creators' verification requests by '/userId'. Free texts are read, never filtered on.
  { name: 'reports', partitionKey: '/cloneId', excludedPaths: [ { path: '/details/?' }, { path: '/answerExcerpt/?' } ] }
  { name: 'verifications', partitionKey: '/userId', excludedPaths: [ { path: '/statement/?' } ] }
  // Data exports and account deletions under way (issue 15 part 5), each user one logical partition.
  { name: 'privacy', partitionKey: '/userId', excludedPaths: [ { path: '/export/*' } ] }
  // The throttles' sliding windows (issue 15, limits), one document per key (a hash) that names its own partition. TTL is on
  // with no default: each document carries the length of its window, so a key nobody uses any more vanishes.
  { name: 'limits', partitionKey: '/id', excludedPaths: [ { path: '/times/*' } ], defaultTtl: -1 }
]

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
    // Point-in-time restore (README "Backups and restore"): any second of the last 7 (or 30) days can be restored into a
    // new account.
    backupPolicy: {
      type: 'Continuous'
      continuousModeProperties: { tier: backupTier }
    }
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

resource containers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = [for container in containerDefinitions: {
  parent: database
  name: container.name
  properties: {
    // TTL only where a container asks for it (limits): the others keep no defaultTtl at all.
    resource: union({
      id: container.name
      partitionKey: { paths: [container.partitionKey], kind: 'Hash', version: 2 }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [ { path: '/*' } ]
        excludedPaths: concat([ { path: '/"_etag"/?' } ], container.excludedPaths)
        // The marketplace's default order (featured clones first, then the most used) sorts on two fields.
        compositeIndexes: container.name == 'clones' ? [
          [ { path: '/featured', order: 'descending' }, { path: '/sessionCount', order: 'descending' } ]
        ] : []
      }
    }, contains(container, 'defaultTtl') ? { defaultTtl: container.?defaultTtl } : {})
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
