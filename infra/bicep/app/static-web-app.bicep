// The web front end (static-web/dist), deployed by azd as service 'web'.
param name string
param location string
param tags object
@allowed(['Free', 'Standard'])
param sku string = 'Free'

resource web 'Microsoft.Web/staticSites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  sku: { name: sku, tier: sku }
  properties: {}
}

output name string = web.name
output defaultHostname string = web.properties.defaultHostname
