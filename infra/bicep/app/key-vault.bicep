// Key Vault for the app's secrets: the Lago API key and webhook HMAC key (secrets 'lago-api-key' and
// 'lago-webhook-hmac-key') and the Stripe secret key of Stripe Connect payouts ('stripe-api-key'), which the Function App reads through Key Vault references in its app settings. Access is by
// Azure RBAC only (no access policies): the app's identity is a Key Vault Secrets User, the developer running azd (if given)
// a Key Vault Secrets Officer, so `az keyvault secret set` works for them. A secret is written here only when its value is
// given (azd env LAGO_API_KEY / LAGO_WEBHOOK_HMAC_KEY / STRIPE_API_KEY); otherwise set it in the vault by hand. Soft delete is always on;
// purge protection (on by default) keeps a deleted vault and its secrets for the retention period.
param name string
param location string
param tags object
@description('The Function App identity: Key Vault Secrets User.')
param identityPrincipalId string
@description('Optional developer principal (azd AZURE_PRINCIPAL_ID): Key Vault Secrets Officer.')
param userPrincipalId string = ''
@description('Purge protection: once on it cannot be turned off, and a deleted vault keeps its name for the retention period.')
param purgeProtection bool = true
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int = 90
@secure()
@description('Lago API key. Empty: the secret is not written (set it in the vault yourself).')
param lagoApiKey string = ''
@secure()
@description('Lago webhook HMAC key. Empty: the secret is not written (set it in the vault yourself).')
param lagoWebhookHmacKey string = ''
@secure()
@description('Stripe secret API key (sk_...) for Stripe Connect payouts. Empty: the secret is not written (set it in the vault yourself).')
param stripeApiKey string = ''

// Built-in roles "Key Vault Secrets User" (read secret values) and "Key Vault Secrets Officer" (manage secrets).
var secretsUser = '4633458b-17de-408a-b874-0445c86b69e6'
var secretsOfficer = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
var lagoApiKeyName = 'lago-api-key'
var lagoWebhookHmacKeyName = 'lago-webhook-hmac-key'
var stripeApiKeyName = 'stripe-api-key'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    // Key Vault refuses false once it is on: leave it unset rather than false.
    enablePurgeProtection: purgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
  }
}

resource identitySecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, identityPrincipalId, secretsUser)
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUser)
  }
}

resource userSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(userPrincipalId)) {
  scope: vault
  name: guid(vault.id, userPrincipalId, secretsOfficer)
  properties: {
    principalId: userPrincipalId
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsOfficer)
  }
}

resource lagoApiKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(lagoApiKey)) {
  parent: vault
  name: lagoApiKeyName
  properties: { value: lagoApiKey }
}

resource lagoWebhookHmacKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(lagoWebhookHmacKey)) {
  parent: vault
  name: lagoWebhookHmacKeyName
  properties: { value: lagoWebhookHmacKey }
}

resource stripeApiKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(stripeApiKey)) {
  parent: vault
  name: stripeApiKeyName
  properties: { value: stripeApiKey }
}

output name string = vault.name
output endpoint string = vault.properties.vaultUri
// Versionless secret URIs: a Key Vault reference to one follows the latest version.
output lagoApiKeyUri string = '${vault.properties.vaultUri}secrets/${lagoApiKeyName}'
output lagoWebhookHmacKeyUri string = '${vault.properties.vaultUri}secrets/${lagoWebhookHmacKeyName}'
output stripeApiKeyUri string = '${vault.properties.vaultUri}secrets/${stripeApiKeyName}'
