using CloneAI.Core.Billing;
using CloneAI.Core.Errors;

namespace CloneAI.Core.Tests.Billing;

/// <summary>The default paged read of <see cref="ILedger"/>, for a ledger that only lists an account's newest transactions.</summary>
public sealed class LedgerPageTests
{
    /// <summary>Ten transactions on one account, newest first, behind the members a ledger must have.</summary>
    private sealed class ListingLedger : ILedger
    {
        private readonly List<LedgerTransaction> _newestFirst = Enumerable.Range(0, 10).Reverse().Select(i => new LedgerTransaction(
            $"t{i}", $"k{i}", LedgerTransactionTypes.TopUp, "USD",
            [new(LedgerAccounts.Wallet("u1"), 100 + i), new(LedgerAccounts.PaymentsClearing, -100 - i)],
            new Dictionary<string, string>(), DateTimeOffset.UnixEpoch.AddMinutes(i))).ToList();

        public Task<IReadOnlyList<LedgerTransaction>> TransactionsAsync(string account, int limit, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<LedgerTransaction>>(_newestFirst.Take(limit).ToList());

        public Task<LedgerPosting> PostAsync(LedgerTransaction transaction, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<long> BalanceAsync(string account, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<LedgerCheck> CheckAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }

    [Fact]
    public async Task PagesFollowEachOtherWithoutGapsOrRepeatsAndTheLastHasNoToken()
    {
        ILedger ledger = new ListingLedger();
        var ids = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await ledger.TransactionPageAsync(LedgerAccounts.Wallet("u1"), 4, token);
            ids.AddRange(page.Items.Select(t => t.Id));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 10).Reverse().Select(i => $"t{i}"), ids);
    }

    [Fact]
    public async Task AnExactLastPageSaysThereIsNoMore()
    {
        ILedger ledger = new ListingLedger();

        var page = await ledger.TransactionPageAsync(LedgerAccounts.Wallet("u1"), 10, null);

        Assert.Equal(10, page.Items.Count);
        Assert.Null(page.ContinuationToken);
    }

    [Theory]
    [InlineData("not a token")]
    [InlineData("cDo1")] // a position token ("p:5") where an offset is expected
    public async Task AForeignTokenIsAValidationError(string token)
    {
        ILedger ledger = new ListingLedger();

        var e = await Assert.ThrowsAsync<ValidationException>(() => ledger.TransactionPageAsync(LedgerAccounts.Wallet("u1"), 4, token));

        Assert.True(e.Errors.ContainsKey("continuationToken"));
    }
}
