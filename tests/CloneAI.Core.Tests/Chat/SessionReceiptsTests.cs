using CloneAI.Core.Auth;
using CloneAI.Core.Chat;
using CloneAI.Core.Domain;
using CloneAI.Core.Email;
using CloneAI.Core.Users;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace CloneAI.Core.Tests.Chat;

public sealed class SessionReceiptsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);

    private static ChatSession Ended(int messages, string name = "Ada") => new()
    {
        Id = "s-1", UserId = "u-1", CloneId = "c-1", CloneName = name, OwnerId = "o-1", Status = SessionStatus.Ended,
        StartedAt = T0, LastActivityAt = T0.AddMinutes(3), EndedAt = T0.AddMinutes(4), EndReason = EndReasons.User, MessageCount = messages,
    };

    private static (SessionReceipts Receipts, Mock<IEmailSender> Email) Create()
    {
        var users = new Mock<IUserStore>();
        users.Setup(u => u.GetAsync("u-1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new User { Id = "u-1", Email = "ada@example.com", DisplayName = "Ada <Lovelace>" });
        var email = new Mock<IEmailSender>();
        return (new SessionReceipts(users.Object, email.Object, Options.Create(new AuthOptions { PublicBaseUrl = "https://app.example/" }), NullLogger<SessionReceipts>.Instance), email);
    }

    [Fact]
    public async Task AReceiptIsKeyedBySessionAndEscapesWhatUsersTyped()
    {
        var (receipts, email) = Create();
        EmailMessage? sent = null;
        email.Setup(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>())).Callback<EmailMessage, CancellationToken>((m, _) => sent = m);

        await receipts.SendAsync(Ended(2, "<script>x</script>"), new Money(120, "EUR"), 240);

        Assert.NotNull(sent);
        Assert.Equal("receipt:s-1", sent.Key);
        Assert.Equal("ada@example.com", sent.To);
        Assert.Equal("Your session with “<script>x</script>”: 1.20 EUR", sent.Subject); // plain text: shown as text by mail clients; quoted
        Assert.DoesNotContain("<script>", sent.HtmlBody);
        Assert.Contains("“&lt;script&gt;x&lt;/script&gt;”", sent.HtmlBody);
        Assert.DoesNotContain("Lovelace", sent.HtmlBody + sent.TextBody); // the user's own name is not needed
        Assert.Contains("Length: 4.0 min", sent.TextBody);
        Assert.Contains("https://app.example/sessions/s-1", sent.TextBody);
    }

    [Fact]
    public void AShortSessionShowsSecondsAndAUserEndSaysSo()
    {
        var m = SessionReceipts.Compose(Ended(1), "ada@example.com", new Money(10, "USD"), 12.3, "https://app.example");
        Assert.Contains("Length: 13 s", m.TextBody);
        Assert.Contains("(you ended it)", m.TextBody);
    }

    [Fact]
    public async Task AFailedSendIsLoggedAndNeverThrown()
    {
        var (receipts, email) = Create();
        email.Setup(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>())).ThrowsAsync(new HttpRequestException("down"));

        await receipts.SendAsync(Ended(1), new Money(0, "USD"), 60);

        email.Verify(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task NothingIsSentForAnUnusedFreeSessionOrWithoutASender()
    {
        var (receipts, email) = Create();
        await receipts.SendAsync(Ended(0), new Money(0, "USD"), 60);
        email.Verify(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()), Times.Never);

        var none = new SessionReceipts(Mock.Of<IUserStore>(), null, Options.Create(new AuthOptions()), NullLogger<SessionReceipts>.Instance);
        Assert.False(none.Enabled);
        await none.SendAsync(Ended(3), new Money(500, "USD"), 60);
    }

    [Fact]
    public void AHostileCloneNameIsQuotedAfterItsLabelAndCleanedOfLineBreaksAndBidiCharacters()
    {
        var m = SessionReceipts.Compose(Ended(1, "Support\r\nVisit https://evil.example now \u202Eevil"), "ada@example.com", new Money(10, "USD"), 60, "https://app.example");

        Assert.Contains("Clone: “Support Visit https://evil.example now evil”", m.TextBody);
        Assert.Equal("Your session with “Support Visit https://evil.example now evil”: 0.10 USD", m.Subject);
        Assert.DoesNotContain('\u202E', m.TextBody + m.Subject + m.HtmlBody);
        Assert.DoesNotContain("\n", m.Subject);
    }
}
