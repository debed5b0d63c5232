using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Billing;

/// <summary>
/// Wallet top-ups: a user asks to add money (once per idempotency key), the configured <see cref="IPaymentProvider"/>
/// (<see cref="BillingOptions.Provider"/>) gives the checkout, and the provider's verified notice settles it. A success posts
/// <see cref="LedgerPostings.TopUp"/> under <c>top-up:{id}</c> first and then marks the top-up succeeded, so a crash between
/// the two is finished by the next application of the notice without a second credit (the ledger keeps one transaction
/// per key). A failed top-up is never credited; a notice for a settled top-up changes nothing.
/// </summary>
public sealed class TopUpService(
    ITopUpStore store, ILedger ledger, IEnumerable<IPaymentProvider> providers, IOptions<BillingOptions> billing, TimeProvider time,
    ILogger<TopUpService> logger) : IPaymentNotices
{
    /// <summary>The smallest top-up, in minor units ($1.00).</summary>
    public const long MinAmount = 100;

    /// <summary>The largest top-up, in minor units ($1,000.00).</summary>
    public const long MaxAmount = 100_000;

    public const int MaxIdempotencyKeyLength = 100;

    private const int MaxAttempts = 5;

    /// <summary>
    /// Creates the caller's top-up, or returns the one they created before with the same key (then <c>Created</c> is false).
    /// The same key with a different amount is a conflict. A top-up whose checkout could not be started before (the provider
    /// failed) gets it on the retry.
    /// </summary>
    public async Task<TopUpCreation> CreateAsync(Caller caller, long? amount, string? idempotencyKey, CancellationToken cancellationToken = default)
    {
        var errors = new Validator();
        if (amount is null) errors.Add("amount", "Required.");
        else if (amount is < MinAmount or > MaxAmount)
            errors.Add("amount", $"A top-up is {MinAmount} to {MaxAmount} minor units ({new Money(MinAmount, billing.Value.Currency).Format()} to {new Money(MaxAmount, billing.Value.Currency).Format()}).");
        errors.Require("idempotencyKey", idempotencyKey, MaxIdempotencyKeyLength);
        if (idempotencyKey is not null && idempotencyKey.Any(char.IsControl)) errors.Add("idempotencyKey", "No control characters.");
        errors.ThrowIfInvalid();

        var provider = Provider();
        var now = time.GetUtcNow();
        var draft = new TopUp
        {
            Id = Guid.NewGuid().ToString("N"), UserId = caller.UserId, Amount = amount!.Value, Currency = billing.Value.Currency,
            IdempotencyKey = idempotencyKey!, Provider = provider.Name, CreatedAt = now,
        };
        var (topUp, created) = await store.CreateAsync(draft, cancellationToken);
        if (!created && (topUp.Amount != draft.Amount || topUp.Currency != draft.Currency))
            throw new ConflictException("This idempotency key was used for a top-up of another amount. Use a new key for a new top-up.");
        if (topUp.CheckoutUrl is not null || topUp.Status != TopUpStatus.Pending) return new TopUpCreation(topUp, created);

        var checkout = await provider.StartAsync(topUp, new PaymentCustomer(caller.UserId, caller.Email, caller.DisplayName), cancellationToken);
        try
        {
            topUp = await store.ReplaceAsync(topUp with { CheckoutUrl = checkout.CheckoutUrl, ProviderReference = checkout.ProviderReference ?? topUp.ProviderReference }, cancellationToken);
        }
        catch (ConflictException)
        {
            // A concurrent retry with the same key stored its checkout first: that one stands.
            var stored = await store.GetAsync(caller.UserId, topUp.Id, cancellationToken);
            if (stored?.CheckoutUrl is null) throw;
            topUp = stored;
        }
        return new TopUpCreation(topUp, created);
    }

    /// <summary>One of the caller's top-ups. Anyone else's does not exist, as far as they can tell (admins included).</summary>
    public async Task<TopUp> GetAsync(Caller caller, string id, CancellationToken cancellationToken = default) =>
        await store.GetAsync(caller.UserId, id, cancellationToken) ?? throw new NotFoundException("No such top-up.");

    /// <inheritdoc />
    public async Task<TopUp?> ApplyAsync(PaymentNotice notice, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var topUp = await FindAsync(notice, cancellationToken);
            if (topUp is null) return null;
            if (topUp.Status == TopUpStatus.Succeeded) return topUp;
            if (topUp.Status == TopUpStatus.Failed)
            {
                if (notice.Succeeded) logger.LogWarning("A success notice for failed top-up {TopUpId} was ignored: a failed top-up is never credited", topUp.Id);
                return topUp;
            }
            try
            {
                if (!notice.Succeeded)
                    return await store.ReplaceAsync(topUp with
                    {
                        Status = TopUpStatus.Failed, FailureReason = notice.FailureReason ?? "The payment failed.", CompletedAt = time.GetUtcNow(),
                    }, cancellationToken);

                // The credit first, under the top-up's key: applying the notice again (after a crash right here) finds it
                // posted and only marks the top-up.
                var now = time.GetUtcNow();
                await ledger.PostAsync(LedgerPostings.TopUp(topUp.Id, topUp.UserId, topUp.Amount, topUp.Currency, now), cancellationToken);
                return await store.ReplaceAsync(topUp with
                {
                    Status = TopUpStatus.Succeeded, FailureReason = null, CompletedAt = now,
                    ProviderReference = topUp.ProviderReference ?? notice.ProviderReference,
                }, cancellationToken);
            }
            catch (ConflictException) when (attempt < MaxAttempts)
            {
                // Changed meanwhile (another delivery of the same notice): read it again and decide afresh.
            }
        }
    }

    private async Task<TopUp?> FindAsync(PaymentNotice notice, CancellationToken cancellationToken)
    {
        TopUp? topUp = null;
        if (!string.IsNullOrEmpty(notice.TopUpId)) topUp = await store.FindAsync(notice.TopUpId, cancellationToken);
        else if (!string.IsNullOrEmpty(notice.ProviderReference))
            topUp = await store.FindByProviderReferenceAsync(notice.Provider, notice.ProviderReference, cancellationToken);
        // A provider speaks only for its own payments.
        return topUp is not null && string.Equals(topUp.Provider, notice.Provider, StringComparison.Ordinal) ? topUp : null;
    }

    /// <summary>The provider <see cref="BillingOptions.Provider"/> names, among those the host registered.</summary>
    private IPaymentProvider Provider() =>
        providers.LastOrDefault(p => string.Equals(p.Name, billing.Value.Provider, StringComparison.Ordinal))
        ?? throw new InvalidOperationException($"No payment provider '{billing.Value.Provider}' is registered (Billing:Provider).");
}
