using CloneAI.Core.Billing.Lago;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace CloneAI.Functions.Api.Billing;

/// <summary>
/// Every minute, with <c>Billing:Provider=lago</c>: sends the billing outbox's due usage events to Lago (the hosted sender does
/// it promptly while an instance runs; this makes sure retries and leftovers go out on a host that scales to zero).
/// Without Lago there is no outbox and it does nothing.
/// </summary>
public sealed class BillingOutboxTimer(ILogger<BillingOutboxTimer> logger, LagoEventDispatcher? dispatcher = null)
{
    public const string Schedule = "0 */1 * * * *";

    [Function(nameof(SendBillingOutbox))]
    public async Task SendBillingOutbox([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken)
    {
        if (dispatcher is null) return;
        var sent = await dispatcher.DispatchDueAsync(cancellationToken);
        if (sent > 0) logger.LogInformation("Sent {Count} usage events to Lago", sent);
    }
}
