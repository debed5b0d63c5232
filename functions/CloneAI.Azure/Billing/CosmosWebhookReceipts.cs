using System.Net;
using System.Security.Cryptography;
using System.Text;
using CloneAI.Core.Billing;
using Microsoft.Azure.Cosmos;

namespace CloneAI.Azure.Billing;

/// <summary>
/// Receipts of applied webhooks in the Cosmos container <c>billing</c> (partition key <c>/id</c>), id
/// <c>webhook|{provider}|{sha-256 of the unique key}</c>: one point read to check, one create to record (a 409 means recorded).
/// </summary>
public sealed class CosmosWebhookReceipts(Container billing) : IWebhookReceipts
{
    public const string Kind = "webhook";

    public sealed record Document(string Id, string Kind, string Provider, string UniqueKey, string Type, long ReceivedAt, string? Reference);

    public static string IdOf(string provider, string uniqueKey) =>
        $"{Kind}|{provider}|{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(uniqueKey)))}";

    public async Task<bool> ExistsAsync(string provider, string uniqueKey, CancellationToken cancellationToken = default)
    {
        var id = IdOf(provider, uniqueKey);
        try
        {
            await billing.ReadItemAsync<Document>(id, new PartitionKey(id), cancellationToken: cancellationToken);
            return true;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task RecordAsync(WebhookReceipt receipt, CancellationToken cancellationToken = default)
    {
        var id = IdOf(receipt.Provider, receipt.UniqueKey);
        try
        {
            await billing.CreateItemAsync(new Document(id, Kind, receipt.Provider, receipt.UniqueKey, receipt.Type,
                receipt.ReceivedAt.ToUnixTimeMilliseconds(), receipt.Reference), new PartitionKey(id), cancellationToken: cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
        }
    }
}
