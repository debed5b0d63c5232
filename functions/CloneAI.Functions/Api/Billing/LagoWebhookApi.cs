using CloneAI.Core.Billing;
using CloneAI.Core.Billing.Lago;
using CloneAI.Core.Errors;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloneAI.Functions.Api.Billing;

/// <summary>
/// Lago's webhooks. The route is anonymous: the signature (<c>X-Lago-Signature</c>) is the authentication, checked before anything
/// is read; it exists only with <c>Billing:Provider=lago</c> (404 otherwise).
/// </summary>
public sealed class LagoWebhookApi(IOptions<BillingOptions> billing, ILogger<LagoWebhookApi> logger, LagoWebhooks? webhooks = null)
{
    /// <summary>Lago's webhook bodies are small; a larger one is refused before it is read.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    [Function(nameof(LagoWebhook))]
    [ApiDoc("A webhook from Lago (wallet top-up payments)", Tag = "Billing", Access = "Lago: the signature is verified (HMAC or JWT)",
        Description = "Verifies X-Lago-Signature (X-Lago-Signature-Algorithm hmac: base64 HMAC-SHA256 of the raw body with Lago:WebhookHmacKey; jwt: RS256 with Lago's public key, the data claim being the body). A missing or bad signature is 401 and changes nothing. Applied once per X-Lago-Unique-Key: a replay answers 200 with outcome replayed. A settled wallet transaction credits its top-up; a failed one fails it. 404 unless Billing:Provider is lago.",
        Errors = [400, 401, 404, 413])]
    [Returns<LagoWebhookAck>]
    public Task<IActionResult> LagoWebhook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "billing/lago/webhook")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            if (billing.Value.Provider != PaymentProviders.Lago || webhooks is null)
                throw new NotFoundException("Lago webhooks are received only when Billing:Provider is lago.");
            var body = await RequestBody.ReadBytesAsync(req, MaxBodyBytes, cancellationToken);
            var outcome = await webhooks.HandleAsync(
                req.Headers[LagoWebhooks.AlgorithmHeader].ToString(),
                req.Headers[LagoWebhooks.SignatureHeader].ToString(),
                req.Headers[LagoWebhooks.UniqueKeyHeader].ToString(),
                body, cancellationToken);
            return new OkObjectResult(new LagoWebhookAck(outcome == LagoWebhookOutcome.Replayed ? "replayed" : "applied"));
        });
}
