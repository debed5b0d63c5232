using Azure.Core;

namespace CloneAI.Azure.Tests;

/// <summary>
/// A credential that hands out a fixed token without a network or a process. The composition tests register it in place of
/// DefaultAzureCredential: a CosmosClient built on DefaultAzureCredential starts fetching a token in the background (which
/// on a machine without a managed identity runs the Azure CLI), and disposing the client while that process is starting
/// throws "No process is associated with this object" from Azure.Identity, failing a test about composition one run in many.
/// </summary>
internal sealed class OfflineCredential : TokenCredential
{
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new("offline-test-token", DateTimeOffset.UtcNow.AddHours(1));

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
