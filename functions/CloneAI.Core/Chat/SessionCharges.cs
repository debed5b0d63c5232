using CloneAI.Core.Billing;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Chat;

/// <summary>
/// Sessions draw from the user's wallet. A paid session starts only when the wallet holds its first minute and first message;
/// before each answer the started minutes not yet paid and the message's price must be covered. Every charge is one usage event
/// (<c>{sessionId}:minute:{k}</c>, <c>{sessionId}:message:{clientMessageId}</c>), stored first and then posted to the ledger under
/// the event's key (idempotent), handed to the billing outbox when there is one, and marked settled; <see cref="SweepAsync"/>
/// posts whatever a crash left unsettled, so nothing is lost and nothing is charged twice. A charge the wallet can no longer cover
/// in full (the last minutes when a session ends, or two questions racing) takes what the wallet holds, never below zero.
/// Previews (the owner trying their clone) and free clones cost nothing, and nothing is posted for them.
/// </summary>
public sealed class SessionCharges(
    ISessionStore sessions,
    ILedger ledger,
    TimeProvider time,
    IOptions<ChatSettings> chat,
    IOptions<BillingOptions> billing,
    ILogger<SessionCharges> logger,
    IBillingOutbox? outbox = null)
{
    /// <summary>Usage events younger than this are left to the request that stored them; the sweep posts older ones.</summary>
    public static readonly TimeSpan SweepGrace = TimeSpan.FromMinutes(1);

    public const int SweepBatch = 500;

    private BillingOptions Billing => billing.Value;

    /// <summary>The platform currency: wallets and prices are in it.</summary>
    public string Currency => Billing.Currency;

    /// <summary>What a paid session needs to start: its first minute and its first message (free when it has free messages).</summary>
    public static long NeededToStart(ChatSession session) => SessionBilling.MinutePrice(session) + SessionBilling.MessagePrice(session, 1);

    /// <summary>The wallet's balance.</summary>
    public Task<long> BalanceAsync(string userId, CancellationToken cancellationToken = default) =>
        ledger.BalanceAsync(LedgerAccounts.Wallet(userId), cancellationToken);

    /// <summary>Refuses (402, <c>…/insufficient-funds</c>) a paid session the wallet cannot start.</summary>
    public async Task EnsureCanStartAsync(ChatSession session, CancellationToken cancellationToken = default)
    {
        var needed = NeededToStart(session);
        if (needed <= 0) return;
        var balance = await BalanceAsync(session.UserId, cancellationToken);
        if (balance < needed) throw Lacking(session.UserId, needed - balance, Billing.Currency);
    }

    /// <summary>An <see cref="InsufficientFundsException"/> whose problem names the currency of the missing amount.</summary>
    public static InsufficientFundsException Lacking(string userId, long missing, string currency) =>
        new(LedgerAccounts.Wallet(userId), missing, currency);

    /// <summary>
    /// Before a question is answered: starts the clock (at the first question), stores the started minutes not yet recorded and
    /// charges them. Returns the stored session, or the amount the wallet lacks for those minutes and this message (then nothing
    /// is stored or charged, and the caller ends the session as out of credit).
    /// </summary>
    public async Task<(ChatSession Session, long Missing)> BeforeAnswerAsync(ChatSession session, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var now = time.GetUtcNow();
            var started = session.ClockStartedAt is null ? session with { ClockStartedAt = now } : session;
            var due = (int)SessionBilling.MinutesDueAt(started, now, chat.Value.MaxSessionMinutes);
            var minutes = Minutes(started, session.MinutesRecorded + 1, due, now);
            var needed = minutes.Sum(m => m.Amount) + SessionBilling.MessagePrice(session, session.MessageCount + 1);
            if (needed > 0)
            {
                var balance = await BalanceAsync(session.UserId, cancellationToken);
                if (balance < needed) return (session, needed - balance);
            }
            if (minutes.Count == 0 && session.ClockStartedAt is not null) return (session, 0);
            try
            {
                var stored = await sessions.RecordUsageAsync(started with { MinutesRecorded = Math.Max(session.MinutesRecorded, due) }, minutes, cancellationToken);
                foreach (var m in minutes) await SettleAsync(m, cancellationToken);
                return (stored, 0);
            }
            catch (ConflictException) when (attempt < 4)
            {
                // A message or an end was stored meanwhile: look again.
                session = await sessions.GetAsync(session.Id, cancellationToken) ?? throw new NotFoundException("The session no longer exists.");
                if (!session.IsActive) throw new ConflictException("This session has ended. Start a new session to keep asking.");
            }
        }
    }

    /// <summary>The usage events of the session's started minutes <paramref name="from"/>..<paramref name="to"/> (1-based).</summary>
    public static IReadOnlyList<UsageEvent> Minutes(ChatSession session, int from, int to, DateTimeOffset at) =>
        from > to ? [] : Enumerable.Range(from, to - from + 1).Select(k => Minute(session, k, at)).ToList();

    public static string MinuteKey(string sessionId, int k) => $"{sessionId}:minute:{k}";

    private static UsageEvent Minute(ChatSession session, int k, DateTimeOffset at) => new()
    {
        Id = MinuteKey(session.Id, k), SessionId = session.Id, UserId = session.UserId, CloneId = session.CloneId, OwnerId = session.OwnerId,
        Kind = UsageKinds.Minutes, Quantity = 1, Amount = SessionBilling.MinutePrice(session), Currency = session.Pricing.Currency, CreatedAt = at,
    };

    /// <summary>Posts the charges of the session's usage events not settled yet (after an exchange or an end is stored).</summary>
    public async Task SettleSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        foreach (var usage in await sessions.GetUsageAsync(sessionId, cancellationToken))
            if (usage.SettledAt is null) await SettleAsync(usage, cancellationToken);
    }

    /// <summary>
    /// <see cref="SettleSessionAsync"/> after the exchange or the end is stored and answered: a failure is logged, and the sweep
    /// posts what is left.
    /// </summary>
    public async Task TrySettleSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        try
        {
            await SettleSessionAsync(sessionId, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "The charges of session {SessionId} could not all be posted; the sweep tries again", sessionId);
        }
    }

    /// <summary>
    /// Posts the charges of usage events a crash (or a failed post) left unsettled, older than <paramref name="minAge"/> (default
    /// <see cref="SweepGrace"/>): the session timer runs it, and the local host once at start. Returns how many it settled.
    /// </summary>
    public async Task<int> SweepAsync(TimeSpan? minAge = null, CancellationToken cancellationToken = default)
    {
        var pending = await sessions.ListUnsettledAsync(time.GetUtcNow() - (minAge ?? SweepGrace), SweepBatch, cancellationToken);
        var settled = 0;
        foreach (var usage in pending)
        {
            try
            {
                if (await SettleAsync(usage, cancellationToken) is not null) settled++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "The charge of usage event {UsageId} could not be posted; the next sweep tries again", usage.Id);
            }
        }
        return settled;
    }

    /// <summary>
    /// Posts one usage event's charge (once, under its key), hands it to the billing outbox and marks it settled. Returns what the
    /// wallet paid, or null when it is left unsettled for the sweep (its charge was posted with an amount that could not be read).
    /// </summary>
    public async Task<long?> SettleAsync(UsageEvent usage, CancellationToken cancellationToken = default)
    {
        if (usage.SettledAt is not null) return usage.Charged ?? usage.Amount;
        var now = time.GetUtcNow();
        long charged = 0;
        if (usage.Amount > 0)
        {
            var posted = await PostChargeAsync(usage, now, cancellationToken);
            if (posted is null) return null;
            charged = posted.Value;
            if (charged > 0 && outbox is not null)
                await outbox.EnqueueAsync(new BillableUsage(usage.Id, usage.UserId,
                    usage.Kind == UsageKinds.Minutes ? BillableMetrics.SessionMinutes : BillableMetrics.SessionMessages,
                    usage.Quantity, charged, Billing.Currency, usage.SessionId, usage.CloneId, usage.CreatedAt), cancellationToken);
        }
        await sessions.MarkSettledAsync(usage, charged, now, cancellationToken);
        return charged;
    }

    private async Task<long?> PostChargeAsync(UsageEvent usage, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await ledger.PostAsync(UsageCharges.Charge(usage, Billing, now)!, cancellationToken);
            return usage.Amount;
        }
        catch (InsufficientFundsException)
        {
            // The wallet cannot cover all of it: it pays what it holds, never going below zero.
            var balance = await BalanceAsync(usage.UserId, cancellationToken);
            var partial = Math.Min(balance, usage.Amount);
            if (partial <= 0) return 0;
            try
            {
                await ledger.PostAsync(UsageCharges.Charge(usage with { Amount = partial }, Billing, now)!, cancellationToken);
                return partial;
            }
            catch (InsufficientFundsException)
            {
                return null; // spent meanwhile: the sweep looks again
            }
        }
        catch (ConflictException)
        {
            // Posted before for a part of the amount (the wallet was short then): that is what was paid.
            var wallet = LedgerAccounts.Wallet(usage.UserId);
            var earlier = (await ledger.TransactionsAsync(wallet, 1000, cancellationToken)).FirstOrDefault(t => t.IdempotencyKey == usage.Id);
            if (earlier is null)
            {
                logger.LogWarning("Usage event {UsageId} was charged before with another amount that could not be found", usage.Id);
                return null;
            }
            return -earlier.Entries.Where(e => e.Account == wallet).Sum(e => e.Amount);
        }
    }

    /// <summary>
    /// Refunds an ended session (admins): every charge of it gets its reversing transaction (<c>refund:{chargeKey}</c>), once.
    /// Refunding again changes nothing and answers the same.
    /// </summary>
    public async Task<SessionRefund> RefundAsync(Caller caller, string sessionId, CancellationToken cancellationToken = default)
    {
        if (!caller.IsAdmin) throw new ForbiddenException("Only admins can refund sessions.");
        var session = await sessions.GetAsync(sessionId, cancellationToken) ?? throw new NotFoundException("No such session.");
        if (session.IsActive) throw new ConflictException("The session is still running: end it before refunding it.");
        await SettleSessionAsync(session.Id, cancellationToken);
        var now = time.GetUtcNow();
        var refunds = new List<RefundedCharge>();
        foreach (var usage in await sessions.GetUsageAsync(session.Id, cancellationToken))
        {
            if (usage.SettledAt is null || usage.Charged is not > 0) continue;
            // Posting the charge again finds the stored one (same key, same movement): what is refunded is exactly what was posted.
            var charge = (await ledger.PostAsync(UsageCharges.Charge(usage with { Amount = usage.Charged.Value }, Billing, now)!, cancellationToken)).Transaction;
            var refund = (await ledger.PostAsync(LedgerPostings.Refund(charge, now), cancellationToken)).Transaction;
            refunds.Add(new RefundedCharge(charge.IdempotencyKey, refund.Id, usage.Charged.Value, refund.CreatedAt));
        }
        if (refunds.Count > 0)
            logger.LogInformation("Session {SessionId} refunded by {AdminId}: {Count} charges, {Amount} minor units", session.Id, caller.UserId, refunds.Count, refunds.Sum(r => r.Amount));
        return new SessionRefund(session.Id, session.UserId, refunds.Sum(r => r.Amount), Billing.Currency, refunds);
    }
}

/// <summary>A refunded session: the charges reversed and the total given back to the user's wallet.</summary>
public sealed record SessionRefund(string SessionId, string UserId, long Amount, string Currency, IReadOnlyList<RefundedCharge> Charges);

/// <summary>One charge reversed: its key, the reversing transaction, the amount and when it was refunded (first).</summary>
public sealed record RefundedCharge(string ChargeKey, string RefundTransactionId, long Amount, DateTimeOffset RefundedAt);

/// <summary>The wallet cannot pay the next minute or message of a running session: it ends as <see cref="EndReasons.OutOfCredit"/>.</summary>
public sealed class OutOfCreditException(long missing, string currency)
    : AppException($"Your wallet is out of credit for this session ({new Money(missing, currency).Format()} missing). Top up to keep talking.")
{
    public const string Code = "out-of-credit";
    public long Missing { get; } = missing;
    public string Currency { get; } = currency;
    public override int Status => 402;
    public override string Title => "Out of credit";
}
