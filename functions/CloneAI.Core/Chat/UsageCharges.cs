using CloneAI.Core.Billing;

namespace CloneAI.Core.Chat;

/// <summary>A usage event as the ledger transaction that charges it (<see cref="LedgerPostings.Charge"/>), under the event's key.</summary>
public static class UsageCharges
{
    /// <summary>The charge of <paramref name="usage"/>: its user's wallet pays, the clone's creator earns their share; null when it is free.</summary>
    public static LedgerTransaction? Charge(UsageEvent usage, BillingOptions billing, DateTimeOffset at) =>
        LedgerPostings.Charge(usage.Id, usage.UserId, usage.OwnerId, usage.SessionId, usage.CloneId, usage.Amount, billing, at);
}
