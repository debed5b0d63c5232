#!/bin/sh
# azd postdeploy hook: subscribes the API's blob trigger to BlobCreated events of the knowledge container.
#
# Flex Consumption runs blob triggers only with the Event Grid source. Event Grid delivers to the blobs extension webhook,
# authenticated by the host's 'blobs_extension' system key, and that key exists only once the deployed code has started.
# So this waits for the key, then deploys infra/bicep/app/blob-event-subscription.bicep into the resource group; the
# module reads the key itself (listKeys), so it never passes through this shell. Re-running updates the same subscription.
#
# Needs the Azure CLI, signed in to the subscription (az login, or azure/login in CI). Values come from the azd environment.
set -eu

: "${AZURE_RESOURCE_GROUP:?is not set: run azd provision first}"
: "${AZURE_FUNCTION_APP_NAME:?is not set: run azd provision first}"
: "${AZURE_EVENTGRID_SYSTEM_TOPIC:?is not set: run azd provision first}"

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
module="$here/../bicep/app/blob-event-subscription.bicep"
attempts="${CLONEAI_KEY_ATTEMPTS:-30}"
delay="${CLONEAI_KEY_DELAY_SECONDS:-10}"

command -v az >/dev/null 2>&1 || {
  echo "postdeploy: the Azure CLI (az) is needed to subscribe the blob trigger to Event Grid." >&2
  exit 1
}

attempt=1
while :; do
  # Only whether the key exists is looked at here: the query answers true or false, never the key.
  ready=$(az functionapp keys list --resource-group "$AZURE_RESOURCE_GROUP" --name "$AZURE_FUNCTION_APP_NAME" \
    --query "systemKeys.blobs_extension != null" --output tsv 2>/dev/null || true)
  [ "$ready" = "true" ] && break
  if [ "$attempt" -ge "$attempts" ]; then
    echo "postdeploy: $AZURE_FUNCTION_APP_NAME has no blobs_extension key after $attempts tries; is the API deployed and running?" >&2
    exit 1
  fi
  echo "postdeploy: waiting for the blobs_extension key of $AZURE_FUNCTION_APP_NAME ($attempt/$attempts)"
  attempt=$((attempt + 1))
  sleep "$delay"
done

echo "postdeploy: subscribing the blob trigger to BlobCreated events on $AZURE_EVENTGRID_SYSTEM_TOPIC"
az deployment group create \
  --resource-group "$AZURE_RESOURCE_GROUP" \
  --name blob-event-subscription \
  --template-file "$module" \
  --parameters systemTopicName="$AZURE_EVENTGRID_SYSTEM_TOPIC" functionAppName="$AZURE_FUNCTION_APP_NAME" \
  --only-show-errors --output none
