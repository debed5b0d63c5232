using CloneAI.Core.Billing;
using CloneAI.Core.Billing.Lago;
using CloneAI.Core.Domain;
using CloneAI.Core.Users;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CloneAI.Local.Tests.Billing;

/// <summary>Lago's client and services built by hand against a <see cref="FakeLago"/>.</summary>
internal static class LagoTestKit
{
    public static LagoOptions Options(FakeLago fake, int retries = 2) => new()
    {
        ApiUrl = new Uri(fake.Url), ApiKey = FakeLago.ApiKey, WebhookHmacKey = FakeLago.HmacKey, Retries = retries,
        RetryDelay = TimeSpan.FromMilliseconds(20), Timeout = TimeSpan.FromSeconds(20),
    };

    public static LagoClient Client(FakeLago fake, int retries = 2) =>
        new(new HttpClient(), Microsoft.Extensions.Options.Options.Create(Options(fake, retries)), NullLogger<LagoClient>.Instance);

    public static IUserStore Users()
    {
        var users = new Mock<IUserStore>();
        users.Setup(u => u.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => new User
            {
                Id = id, Email = id + "@cloneai.test", DisplayName = "User " + id, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
            });
        return users.Object;
    }

    public static LagoAccounts Accounts(FakeLago fake, LagoClient client) =>
        new(client, Users(), Microsoft.Extensions.Options.Options.Create(Options(fake)), Microsoft.Extensions.Options.Options.Create(new BillingOptions()));

    public static BillableUsage Usage(string key, string user = "user-1", long quantity = 1, long amount = 25) =>
        new(key, user, BillableMetrics.SessionMessages, quantity, amount, "USD", "session-1", "clone-1", DateTimeOffset.UtcNow);
}

/// <summary>Records the payment notices it is given, as the wallet's top-up service would apply them.</summary>
public sealed class RecordingPaymentNotices : IPaymentNotices
{
    private readonly List<PaymentNotice> _notices = [];

    public IReadOnlyList<PaymentNotice> Notices
    {
        get { lock (_notices) return _notices.ToList(); }
    }

    public Task<TopUp?> ApplyAsync(PaymentNotice notice, CancellationToken cancellationToken = default)
    {
        lock (_notices) _notices.Add(notice);
        return Task.FromResult<TopUp?>(new TopUp
        {
            Id = "top-up-of-" + notice.ProviderReference, UserId = "user", Amount = 1000, Currency = "USD", IdempotencyKey = "k", Provider = notice.Provider,
            Status = notice.Succeeded ? TopUpStatus.Succeeded : TopUpStatus.Failed, ProviderReference = notice.ProviderReference,
        });
    }
}
