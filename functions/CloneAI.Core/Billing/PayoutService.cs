using System.Text.RegularExpressions;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Billing;

/// <summary>
/// Creators ask for payouts of their available earnings; admins approve (the <see cref="IPayoutProvider"/> pays) or reject
/// them. Money leaves the creator's earnings when they ask (ledger key <c>payout:{id}</c>), so it cannot be asked for twice,
/// and a rejection returns it (<c>payout-rejected:{id}</c>). A decided payout cannot be decided again.
/// </summary>
public sealed partial class PayoutService(
    ILedger ledger, IPayoutStore payouts, IPayoutProvider provider, IOptions<BillingOptions> billing, TimeProvider time, ILogger<PayoutService> logger)
    : IDisposable
{
    private const string BalanceChanged = "Your available earnings changed while the payout was being requested. Reload and try again.";

    // Requests are serialised in the process so that two at once cannot both pass the balance check; across processes the
    // balance is read again after posting, and a payout that took more than was there is voided.
    private readonly SemaphoreSlim _requests = new(1, 1);

    public void Dispose() => _requests.Dispose();

    /// <summary>The payout provider the admin pays through, and whether approving needs a reference.</summary>
    public IPayoutProvider Provider => provider;

    public async Task<(Payout Payout, bool Created)> RequestAsync(Caller caller, long? amount, string? idempotencyKey, CancellationToken cancellationToken = default)
    {
        if (!caller.IsCreator && !caller.IsAdmin) throw new ForbiddenException("Only creators have earnings to be paid out.");
        var options = billing.Value;
        var v = new Validator();
        if (amount is null) v.Add("amount", "Required.");
        if (idempotencyKey is not null && !KeyPattern().IsMatch(idempotencyKey))
            v.Add("idempotencyKey", "1 to 100 letters, digits, '-', '_', ':' or '.'.");
        v.ThrowIfInvalid();

        if (idempotencyKey is not null && await payouts.FindByKeyAsync(caller.UserId, idempotencyKey, cancellationToken) is { } earlier)
            return (SameRequest(earlier, amount!.Value), false);

        await _requests.WaitAsync(cancellationToken);
        try
        {
            var account = LedgerAccounts.Earnings(caller.UserId);
            var available = await ledger.BalanceAsync(account, cancellationToken);
            if (amount < options.MinPayout)
                throw new ValidationException("amount", $"At least {new Money(options.MinPayout, options.Currency).Format()} (the minimum payout; minor units {options.MinPayout}).");
            if (amount > available)
                throw new ValidationException("amount", $"At most {new Money(Math.Max(0, available), options.Currency).Format()} (your available earnings; minor units {Math.Max(0, available)}).");

            var now = time.GetUtcNow();
            var payout = new Payout
            {
                Id = Guid.NewGuid().ToString("N"), CreatorId = caller.UserId, Amount = amount!.Value, Currency = options.Currency,
                IdempotencyKey = idempotencyKey ?? Guid.NewGuid().ToString("N"), CreatedAt = now,
            };
            await ledger.PostAsync(LedgerPostings.Payout(payout.Id, caller.UserId, payout.Amount, payout.Currency, now), cancellationToken);
            if (await ledger.BalanceAsync(account, cancellationToken) < 0)
            {
                await VoidAsync(payout, cancellationToken);
                throw new ConflictException(BalanceChanged);
            }
            try
            {
                return (await payouts.CreateAsync(payout, cancellationToken), true);
            }
            catch (ConflictException) when (idempotencyKey is not null)
            {
                // The same key was requested at once elsewhere and stored first: that one holds the money, this one gives it back.
                await VoidAsync(payout, cancellationToken);
                var first = await payouts.FindByKeyAsync(caller.UserId, idempotencyKey, cancellationToken) ?? throw new ConflictException(BalanceChanged);
                return (SameRequest(first, payout.Amount), false);
            }
        }
        finally
        {
            _requests.Release();
        }
    }

    public Task<Page<Payout>> ListMineAsync(Caller caller, int? pageSize, string? continuationToken, CancellationToken cancellationToken = default) =>
        payouts.ListByCreatorAsync(caller.UserId, Math.Clamp(pageSize ?? 20, 1, 50), continuationToken, cancellationToken);

    public Task<Page<Payout>> ListAsync(Caller caller, string? status, int? pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        RequireAdmin(caller);
        status ??= PayoutStatus.Requested;
        if (!PayoutStatus.All.Contains(status)) throw new ValidationException("status", $"One of: {string.Join(", ", PayoutStatus.All)}.");
        return payouts.ListByStatusAsync(status, Math.Clamp(pageSize ?? 20, 1, 50), continuationToken, cancellationToken);
    }

    /// <summary>Pays a requested payout through the provider and marks it paid with the payment's reference.</summary>
    public async Task<Payout> ApproveAsync(Caller caller, string id, string? reference, CancellationToken cancellationToken = default)
    {
        RequireAdmin(caller);
        if (reference is { Length: > 200 }) throw new ValidationException("reference", "At most 200 characters.");
        var payout = await RequireUndecidedAsync(id, cancellationToken);
        var account = provider.NeedsReference ? null
            : await payouts.GetAccountAsync(payout.CreatorId, cancellationToken)
              ?? throw new ConflictException("The creator has not connected a Stripe account to be paid to.");
        PayoutReceipt receipt;
        try
        {
            receipt = await provider.PayAsync(payout, account, reference, cancellationToken);
        }
        catch (PayoutFailedException e)
        {
            logger.LogWarning("Payout {PayoutId} failed at {Provider}: {Error}", payout.Id, provider.Name, e.Message);
            try { await payouts.ReplaceAsync(payout with { LastError = e.Message }, cancellationToken); }
            catch (ConflictException) { } // decided meanwhile: that decision stands
            throw;
        }
        try
        {
            return await payouts.ReplaceAsync(payout with
            {
                Status = PayoutStatus.Paid, Provider = provider.Name, Reference = receipt.Reference, LastError = null,
                DecidedAt = time.GetUtcNow(), DecidedBy = caller.UserId,
            }, cancellationToken);
        }
        catch (ConflictException)
        {
            throw new ConflictException("The payout was decided by another request meanwhile.");
        }
    }

    /// <summary>Turns a requested payout down: it is marked rejected and the money goes back to the creator's earnings.</summary>
    public async Task<Payout> RejectAsync(Caller caller, string id, string? reason, CancellationToken cancellationToken = default)
    {
        RequireAdmin(caller);
        new Validator().Require("reason", reason, 500).ThrowIfInvalid();
        var payout = await payouts.GetAsync(id, cancellationToken) ?? throw new NotFoundException("No such payout.");
        if (payout.Status == PayoutStatus.Rejected)
        {
            // A rejection interrupted between its two writes is finished here; the money moves once whatever happens.
            await ledger.PostAsync(PayoutPostings.Rejected(payout, time.GetUtcNow()), cancellationToken);
            throw new ConflictException("The payout is already rejected.");
        }
        if (payout.Status != PayoutStatus.Requested) throw new ConflictException($"The payout is already {payout.Status}.");
        Payout rejected;
        try
        {
            rejected = await payouts.ReplaceAsync(payout with
            {
                Status = PayoutStatus.Rejected, RejectionReason = reason!.Trim(), DecidedAt = time.GetUtcNow(), DecidedBy = caller.UserId,
            }, cancellationToken);
        }
        catch (ConflictException)
        {
            throw new ConflictException("The payout was decided by another request meanwhile.");
        }
        await ledger.PostAsync(PayoutPostings.Rejected(rejected, rejected.DecidedAt!.Value), cancellationToken);
        return rejected;
    }

    public Task<PayoutAccount?> GetAccountAsync(Caller caller, CancellationToken cancellationToken = default) =>
        payouts.GetAccountAsync(caller.UserId, cancellationToken);

    public Task<PayoutAccount> SetAccountAsync(Caller caller, string? stripeAccountId, CancellationToken cancellationToken = default)
    {
        if (!caller.IsCreator && !caller.IsAdmin) throw new ForbiddenException("Only creators have earnings to be paid out.");
        if (stripeAccountId is null || !StripeAccountPattern().IsMatch(stripeAccountId))
            throw new ValidationException("stripeAccountId", "A connected Stripe account id: 'acct_' then letters and digits.");
        return payouts.SetAccountAsync(new PayoutAccount(caller.UserId, stripeAccountId, time.GetUtcNow()), cancellationToken);
    }

    private async Task<Payout> RequireUndecidedAsync(string id, CancellationToken cancellationToken)
    {
        var payout = await payouts.GetAsync(id, cancellationToken) ?? throw new NotFoundException("No such payout.");
        return payout.Status == PayoutStatus.Requested ? payout : throw new ConflictException($"The payout is already {payout.Status}.");
    }

    private static Payout SameRequest(Payout earlier, long amount) =>
        earlier.Amount == amount ? earlier : throw new ConflictException("This idempotency key was used for a payout of another amount.");

    private Task<LedgerPosting> VoidAsync(Payout payout, CancellationToken cancellationToken) =>
        ledger.PostAsync(PayoutPostings.Voided(payout, time.GetUtcNow()), cancellationToken);

    private static void RequireAdmin(Caller caller)
    {
        if (!caller.IsAdmin) throw new ForbiddenException("Only admins decide payouts.");
    }

    [GeneratedRegex("^[A-Za-z0-9_:.-]{1,100}$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("^acct_[A-Za-z0-9]{1,60}$")]
    private static partial Regex StripeAccountPattern();
}

/// <summary>The ledger transactions that undo a payout's <see cref="LedgerPostings.Payout"/>: from the clearing account back to earnings.</summary>
public static class PayoutPostings
{
    public static string RejectedKey(string payoutId) => $"payout-rejected:{payoutId}";

    public static string VoidedKey(string payoutId) => $"payout-voided:{payoutId}";

    /// <summary>An admin turned the payout down.</summary>
    public static LedgerTransaction Rejected(Payout payout, DateTimeOffset at) => Back(payout, RejectedKey(payout.Id), at);

    /// <summary>The request took more than was available (another request won the race), or lost a race for its key.</summary>
    public static LedgerTransaction Voided(Payout payout, DateTimeOffset at) => Back(payout, VoidedKey(payout.Id), at);

    private static LedgerTransaction Back(Payout payout, string key, DateTimeOffset at) =>
        new(Guid.NewGuid().ToString("N"), key, LedgerTransactionTypes.Adjustment, payout.Currency,
            [new(LedgerAccounts.PayoutsClearing, -payout.Amount), new(LedgerAccounts.Earnings(payout.CreatorId), payout.Amount)],
            new Dictionary<string, string>
            {
                [LedgerPostings.References.Payout] = payout.Id, [LedgerPostings.References.Creator] = payout.CreatorId,
                [LedgerPostings.References.Reverses] = LedgerPostings.PayoutKey(payout.Id),
            }, at);
}
