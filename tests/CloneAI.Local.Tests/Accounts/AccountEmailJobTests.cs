using System.Collections.Concurrent;
using CloneAI.Core.Accounts;
using CloneAI.Core.Auth;
using CloneAI.Core.Domain;
using CloneAI.Core.Email;
using CloneAI.Core.UserData;
using CloneAI.Core.Users;
using CloneAI.Local.Accounts;
using CloneAI.Local.Hosting;
using CloneAI.Local.Sqlite;
using CloneAI.Local.Users;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;

namespace CloneAI.Local.Tests.Accounts;

/// <summary>Queued account emails are rows in the data folder: a stop before they were sent loses none, and none is sent twice.</summary>
public sealed class AccountEmailJobTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "cloneai-mailjobs-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_data, true); } catch (IOException) { }
    }

    [Fact]
    public async Task AResetEmailQueuedBeforeAStopIsSentOnceAfterTheRestart()
    {
        const string email = "restart@cloneai.test";
        // The first host is built but never started: its worker never runs. It answers the request, then stops.
        var first = Build();
        try
        {
            await CreateUserAsync(first.Services, email);
            await first.Services.GetRequiredService<AccountService>().ForgotPasswordAsync(email);
            await first.Services.GetRequiredService<AccountService>().ForgotPasswordAsync("nobody@cloneai.test");
        }
        finally
        {
            await first.DisposeAsync();
            SqliteConnection.ClearAllPools();
        }
        Assert.Empty(Emails(email));
        Assert.Equal(2, await PendingAsync());

        await using (var second = await OwnHost.StartAsync(dataDir: _data))
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (Emails(email).Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(100);
            await Task.Delay(1500); // time for a second send, if there were one
            var mail = Assert.Single(Emails(email));
            Assert.Contains("/reset-password?token=", mail.TextBody, StringComparison.Ordinal);
            Assert.Empty(Emails("nobody@cloneai.test"));
        }
        SqliteConnection.ClearAllPools();
        Assert.Equal(0, await PendingAsync()); // sent, or nothing to send: the rows are gone
    }

    [Fact]
    public async Task TwoWorkersOnOneDataFolderNeverSendAJobTwice()
    {
        Directory.CreateDirectory(_data);
        var file = Path.Combine(_data, "cloneai.db");
        var sent = new ConcurrentBag<string>();
        var sender = new Mock<IEmailSender>();
        sender.Setup(s => s.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()))
            .Returns(async (EmailMessage m, CancellationToken _) => { await Task.Yield(); sent.Add(m.To); });
        var options = Microsoft.Extensions.Options.Options.Create(new AuthOptions { Mode = "local", PublicBaseUrl = "http://127.0.0.1" });
        AccountEmailQueue Worker()
        {
            var db = new SqliteDatabase(file, NullLogger<SqliteDatabase>.Instance); // one per worker, as two processes would have
            return new AccountEmailQueue(new SqliteAccountEmailJobs(db), new SqliteUserStore(db), new SqliteAccountStore(db),
                new AccountEmails(sender.Object, options), options, TimeProvider.System, NullLogger<AccountEmailQueue>.Instance);
        }
        var (a, b) = (Worker(), Worker());
        var users = new SqliteUserStore(new SqliteDatabase(file, NullLogger<SqliteDatabase>.Instance));
        var addresses = Enumerable.Range(0, 70).Select(i => $"user{i}@cloneai.test").ToList();
        foreach (var address in addresses)
        {
            await CreateUserAsync(users, address);
            await a.EnqueueAsync(AccountEmailKinds.PasswordReset, address);
        }

        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => (i % 2 == 0 ? a : b).RunPendingAsync())));

        Assert.Equal(addresses.Order(), sent.Order());
        Assert.Equal(0, await PendingAsync());
    }

    [Fact]
    public async Task DeletingTheAccountErasesTheEmailsQueuedForIt()
    {
        const string email = "erased@cloneai.test";
        var host = Build();
        try
        {
            var user = await CreateUserAsync(host.Services, email);
            await host.Services.GetRequiredService<AccountService>().ForgotPasswordAsync(email);
            await host.Services.GetRequiredService<AccountService>().ForgotPasswordAsync("someone-else@cloneai.test");
            var eraser = Assert.Single(host.Services.GetServices<IUserDataEraser>().OfType<AccountEmailJobsEraser>());

            await eraser.EraseAsync(user.Id, "pseudonym");

            var left = await host.Services.GetRequiredService<IAccountEmailJobs>().ClaimAsync(DateTimeOffset.UtcNow.AddMinutes(1), TimeSpan.FromMinutes(1), 10);
            Assert.Equal(["someone-else@cloneai.test"], left.Select(j => j.Address));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    private WebApplication Build() =>
        LocalHost.Build(["--data", _data, "--urls", $"http://127.0.0.1:{LocalHostFixture.FreePort()}"],
            b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" }));

    private static Task<User> CreateUserAsync(IServiceProvider services, string email) => CreateUserAsync(services.GetRequiredService<IUserStore>(), email);

    private static Task<User> CreateUserAsync(IUserStore users, string email)
    {
        var now = DateTimeOffset.UtcNow;
        return users.CreateAsync(new User
        {
            Id = Guid.NewGuid().ToString("N"), Email = email, DisplayName = "Mail", EmailVerified = true, SecurityStamp = SecurityStamps.New(),
            CreatedAt = now, UpdatedAt = now,
        });
    }

    private List<MimeMessage> Emails(string to)
    {
        var outbox = Path.Combine(_data, "outbox");
        return !Directory.Exists(outbox) ? [] : Directory.GetFiles(outbox, "*.eml").Select(f => MimeMessage.Load(f))
            .Where(m => m.To.Mailboxes.Any(a => a.Address == to)).ToList();
    }

    private async Task<long> PendingAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_data, "cloneai.db")};Pooling=False");
        await connection.OpenAsync();
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM account_email_jobs";
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
