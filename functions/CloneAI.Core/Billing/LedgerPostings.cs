namespace CloneAI.Core.Billing;

/// <summary>
/// The ledger transactions the product posts, each under a key derived from what it records, so a retry (or a sweep redoing
/// work a crash interrupted) posts it once: <c>top-up:{id}</c>, a charge under its usage event's key, <c>refund:{chargeKey}</c>
/// and <c>payout:{id}</c>.
/// </summary>
public static class LedgerPostings
{
    public static class References
    {
        public const string Session = "session";
        public const string UsageEvent = "usageEvent";
        public const string TopUp = "topUp";
        public const string Payout = "payout";
        public const string Clone = "clone";
        public const string User = "user";
        public const string Creator = "creator";
        public const string Reverses = "reverses";
    }

    public static string TopUpKey(string topUpId) => $"top-up:{topUpId}";

    public static string RefundKey(string chargeKey) => $"refund:{chargeKey}";

    public static string PayoutKey(string payoutId) => $"payout:{payoutId}";

    /// <summary>Money paid in: from <see cref="LedgerAccounts.PaymentsClearing"/> to the user's wallet.</summary>
    public static LedgerTransaction TopUp(string topUpId, string userId, long amount, string currency, DateTimeOffset at) =>
        new(NewId(), TopUpKey(topUpId), LedgerTransactionTypes.TopUp, currency,
            [new(LedgerAccounts.PaymentsClearing, -amount), new(LedgerAccounts.Wallet(userId), amount)],
            new Dictionary<string, string> { [References.TopUp] = topUpId, [References.User] = userId }, at);

    /// <summary>
    /// A session charge under <paramref name="key"/> (its usage event's key): the user's wallet pays <paramref name="amount"/>,
    /// the clone's creator earns their share and the platform keeps the rest. Null when it costs nothing (there is nothing to
    /// post). Sessions build it from a usage event (<c>UsageCharges.Charge</c> in Chat).
    /// </summary>
    public static LedgerTransaction? Charge(
        string key, string userId, string creatorId, string sessionId, string cloneId, long amount, BillingOptions billing, DateTimeOffset at)
    {
        if (amount <= 0) return null;
        var (creator, platform) = billing.Split(amount);
        var entries = new List<LedgerEntry> { new(LedgerAccounts.Wallet(userId), -amount) };
        if (creator != 0) entries.Add(new(LedgerAccounts.Earnings(creatorId), creator));
        if (platform != 0) entries.Add(new(LedgerAccounts.PlatformRevenue, platform));
        return new(NewId(), key, LedgerTransactionTypes.SessionCharge, billing.Currency, entries,
            new Dictionary<string, string>
            {
                [References.Session] = sessionId, [References.UsageEvent] = key, [References.Clone] = cloneId,
                [References.User] = userId, [References.Creator] = creatorId,
            }, at);
    }

    /// <summary>The reversing entries of a charge: every leg negated, under <c>refund:{chargeKey}</c>.</summary>
    public static LedgerTransaction Refund(LedgerTransaction charge, DateTimeOffset at)
    {
        var references = new Dictionary<string, string>(charge.References) { [References.Reverses] = charge.Id };
        return new(NewId(), RefundKey(charge.IdempotencyKey), LedgerTransactionTypes.Refund, charge.Currency,
            charge.Entries.Select(e => new LedgerEntry(e.Account, -e.Amount)).ToList(), references, at);
    }

    /// <summary>Money paid out to a creator: from their earnings to <see cref="LedgerAccounts.PayoutsClearing"/>.</summary>
    public static LedgerTransaction Payout(string payoutId, string creatorId, long amount, string currency, DateTimeOffset at) =>
        new(NewId(), PayoutKey(payoutId), LedgerTransactionTypes.Payout, currency,
            [new(LedgerAccounts.Earnings(creatorId), -amount), new(LedgerAccounts.PayoutsClearing, amount)],
            new Dictionary<string, string> { [References.Payout] = payoutId, [References.Creator] = creatorId }, at);

    private static string NewId() => Guid.NewGuid().ToString("N");
}
