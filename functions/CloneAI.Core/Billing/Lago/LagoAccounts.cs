using System.Collections.Concurrent;
using CloneAI.Core.Users;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Billing.Lago;

/// <summary>What a user is in Lago: a customer (external id = user id), its usage subscription and its wallet.</summary>
public sealed record LagoAccount(string ExternalCustomerId, string ExternalSubscriptionId, string WalletId);

/// <summary>
/// Makes a user's Lago customer on first use, idempotently: Lago upserts customers by <c>external_id</c> (the user id); the
/// subscription to <c>Lago:PlanCode</c> has the user id as its external id and is created only when Lago has none; the wallet
/// in <c>Billing:Currency</c> is created only when the customer has no active one. What was ensured is remembered for the
/// process's life, so later top-ups and events cost no extra call; one user's first use is made one at a time.
/// </summary>
public sealed class LagoAccounts(LagoClient lago, IUserStore users, IOptions<LagoOptions> options, IOptions<BillingOptions> billing)
{
    private readonly ConcurrentDictionary<string, LagoAccount> _known = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    /// <summary>The user's Lago account, made if needed with the customer's name and email.</summary>
    public Task<LagoAccount> EnsureAsync(PaymentCustomer customer, CancellationToken cancellationToken = default) =>
        EnsureAsync(customer.UserId, _ => Task.FromResult<PaymentCustomer?>(customer), cancellationToken);

    /// <summary>The user's Lago account, made if needed with the name and email the user store has.</summary>
    public Task<LagoAccount> EnsureAsync(string userId, CancellationToken cancellationToken = default) =>
        EnsureAsync(userId, async ct => await users.GetAsync(userId, ct) is { } user ? new PaymentCustomer(user.Id, user.Email, user.DisplayName) : null, cancellationToken);

    private async Task<LagoAccount> EnsureAsync(string userId, Func<CancellationToken, Task<PaymentCustomer?>> who, CancellationToken cancellationToken)
    {
        if (_known.TryGetValue(userId, out var known)) return known;
        var gate = _locks.GetOrAdd(userId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (_known.TryGetValue(userId, out known)) return known;
            var currency = billing.Value.Currency;
            var customer = await who(cancellationToken);
            await lago.UpsertCustomerAsync(new LagoCustomerInput(userId, customer?.DisplayName, customer?.Email, currency), cancellationToken);

            var subscription = await lago.GetSubscriptionAsync(userId, cancellationToken)
                ?? await lago.CreateSubscriptionAsync(new LagoSubscriptionInput(userId, options.Value.PlanCode, userId, "CloneAI sessions"), cancellationToken);

            var wallets = await lago.ListWalletsAsync(userId, cancellationToken);
            var wallet = wallets.FirstOrDefault(w => w.Status == LagoWalletStatus.Active && string.Equals(w.Currency, currency, StringComparison.Ordinal))
                ?? await lago.CreateWalletAsync(new LagoWalletInput(userId, currency, RateAmount: "1", Name: "CloneAI wallet", Code: options.Value.WalletCode), cancellationToken);

            var account = new LagoAccount(userId, subscription.ExternalId, wallet.LagoId);
            _known[userId] = account;
            return account;
        }
        finally
        {
            gate.Release();
        }
    }
}
