using System.Runtime.CompilerServices;
using CloneAI.Core.Billing;
using CloneAI.Core.Blobs;
using CloneAI.Core.Chat;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Knowledge;
using CloneAI.Core.Memory;
using CloneAI.Core.Progress;
using CloneAI.Core.Summaries;
using CloneAI.Core.Users;
using CloneAI.Core.UserData;

namespace CloneAI.Core.Privacy;

/// <summary>Reading every page of a paged list.</summary>
internal static class AllPages
{
    public static async Task<List<T>> ReadAsync<T>(Func<string?, Task<Page<T>>> page)
    {
        var all = new List<T>();
        string? token = null;
        do
        {
            var next = await page(token);
            all.AddRange(next.Items);
            token = next.ContinuationToken;
        } while (token is not null);
        return all;
    }

    public static Task<List<ChatSession>> SessionsAsync(ISessionStore sessions, string userId, CancellationToken cancellationToken) =>
        ReadAsync(t => sessions.ListByUserAsync(userId, 100, t, cancellationToken));

    public static Task<List<Clone>> ClonesAsync(ICloneStore clones, string userId, CancellationToken cancellationToken) =>
        ReadAsync(t => clones.ListByOwnerAsync(userId, 100, t, cancellationToken));

    public static Task<List<KnowledgeDocument>> DocumentsAsync(IDocumentStore documents, string cloneId, CancellationToken cancellationToken) =>
        ReadAsync(t => documents.ListAsync(cloneId, new DocumentFilter(PageSize: 100, ContinuationToken: t), cancellationToken));
}

/// <summary>profile.json: the account as stored (no password, no security stamp).</summary>
public sealed class ProfileExporter(IUserStore users) : IUserDataExporter
{
    public string Name => "profile";

    public async Task<object?> ExportAsync(string userId, CancellationToken cancellationToken = default)
    {
        var user = await users.GetAsync(userId, cancellationToken);
        return user is null ? null : new
        {
            user.Id, user.Email, user.DisplayName, user.Bio, user.Expertise, user.Timezone, user.IsCreator, user.IsAdmin, user.EmailVerified,
            user.Style, user.VerifiedAt, user.TermsVersion, user.TermsAcceptedAt, user.CreatedAt, user.UpdatedAt,
            HasAvatar = user.AvatarBlob is not null,
        };
    }
}

/// <summary>clones.json: the user's clones with their documents' details (the files themselves are under files/documents/).</summary>
public sealed class ClonesExporter(ICloneStore clones, IDocumentStore documents) : IUserDataExporter
{
    public string Name => "clones";

    public async Task<object?> ExportAsync(string userId, CancellationToken cancellationToken = default)
    {
        var owned = await AllPages.ClonesAsync(clones, userId, cancellationToken);
        if (owned.Count == 0) return null;
        var result = new List<object>();
        foreach (var clone in owned)
        {
            var docs = await AllPages.DocumentsAsync(documents, clone.Id, cancellationToken);
            result.Add(new
            {
                Clone = clone with { ETag = null },
                Documents = docs.Select(d => new
                {
                    d.Id, d.FileName, d.Title, d.Kind, d.Size, d.Sha256, d.SourceUrl, d.Status, d.Tags, d.Category, d.Summary,
                    d.ChunkCount, d.PageCount, d.CreatedAt, d.ReadyAt,
                    File = $"files/documents/{clone.Id}/{d.Id}-{d.FileName}",
                }).ToList(),
            });
        }
        return result;
    }
}

/// <summary>files/documents/{cloneId}/{documentId}-{fileName}: the original files of the user's clones' documents.</summary>
public sealed class DocumentFilesExporter(ICloneStore clones, IDocumentStore documents, IBlobStore blobs) : IUserDataFileExporter
{
    public string Name => "documents";

    public async IAsyncEnumerable<(string Path, byte[] Data)> FilesAsync(string userId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var clone in await AllPages.ClonesAsync(clones, userId, cancellationToken))
        {
            foreach (var doc in await AllPages.DocumentsAsync(documents, clone.Id, cancellationToken))
            {
                var blob = await blobs.GetAsync(doc.BlobPath, cancellationToken);
                if (blob is not null) yield return ($"{clone.Id}/{doc.Id}-{doc.FileName}", blob.Data);
            }
        }
    }
}

/// <summary>sessions.json: the user's sessions, each with its messages (and their citations).</summary>
public sealed class SessionsExporter(ISessionStore sessions) : IUserDataExporter
{
    public string Name => "sessions";

    public async Task<object?> ExportAsync(string userId, CancellationToken cancellationToken = default)
    {
        var mine = await AllPages.SessionsAsync(sessions, userId, cancellationToken);
        if (mine.Count == 0) return null;
        var result = new List<object>();
        foreach (var session in mine)
            result.Add(new { Session = session with { ETag = null }, Messages = await sessions.GetMessagesAsync(session.Id, cancellationToken) });
        return result;
    }
}

/// <summary>ratings.json: the ratings the user gave, per session.</summary>
public sealed class RatingsExporter(ISessionStore sessions) : IUserDataExporter
{
    public string Name => "ratings";

    public async Task<object?> ExportAsync(string userId, CancellationToken cancellationToken = default)
    {
        var rated = (await AllPages.SessionsAsync(sessions, userId, cancellationToken)).Where(s => s.Rating is not null).ToList();
        return rated.Count == 0 ? null : rated.Select(s => new { SessionId = s.Id, s.CloneId, s.CloneName, s.Rating, s.RatingComment }).ToList();
    }
}

/// <summary>memories.json: what CloneAI remembers about the user.</summary>
public sealed class MemoriesExporter(IMemoryStore memories) : IUserDataExporter
{
    public string Name => "memories";

    public async Task<object?> ExportAsync(string userId, CancellationToken cancellationToken = default)
    {
        var items = await memories.ListAsync(userId, null, cancellationToken);
        return items.Count == 0 ? null : items.Select(m => m with { ETag = null }).ToList();
    }
}

/// <summary>summaries.json: the summaries of the user's sessions.</summary>
public sealed class SummariesExporter(ISessionSummaryStore summaries) : IUserDataExporter
{
    public string Name => "summaries";

    public async Task<object?> ExportAsync(string userId, CancellationToken cancellationToken = default)
    {
        var items = await summaries.ListAsync(userId, null, 10_000, cancellationToken);
        return items.Count == 0 ? null : items;
    }
}

/// <summary>preferences.json and progress.json: per clone the user talked to, their settings and checklist ticks.</summary>
public sealed class ClonePreferencesExporter(ISessionStore sessions, IClonePreferenceStore preferences) : IUserDataExporter
{
    public string Name => "preferences";

    public async Task<object?> ExportAsync(string userId, CancellationToken cancellationToken = default)
    {
        var result = new List<ClonePreferences>();
        foreach (var cloneId in (await AllPages.SessionsAsync(sessions, userId, cancellationToken)).Select(s => s.CloneId).Distinct())
            if (await preferences.GetAsync(userId, cloneId, cancellationToken) is { } p) result.Add(p);
        return result.Count == 0 ? null : result;
    }
}

public sealed class ProgressExporter(ISessionStore sessions, IProgressTickStore ticks) : IUserDataExporter
{
    public string Name => "progress";

    public async Task<object?> ExportAsync(string userId, CancellationToken cancellationToken = default)
    {
        var result = new List<ProgressTick>();
        foreach (var cloneId in (await AllPages.SessionsAsync(sessions, userId, cancellationToken)).Select(s => s.CloneId).Distinct())
            result.AddRange(await ticks.ListAsync(userId, cloneId, cancellationToken));
        return result.Count == 0 ? null : result;
    }
}

/// <summary>ledger.json: the balances and transactions of the user's wallet and (creators) earnings, plus payouts and invoices.</summary>
public sealed class LedgerExporter(ILedger ledger, IPayoutStore? payouts = null, IInvoiceSource? invoices = null) : IUserDataExporter
{
    public string Name => "ledger";

    public async Task<object?> ExportAsync(string userId, CancellationToken cancellationToken = default)
    {
        var wallet = LedgerAccounts.Wallet(userId);
        var earnings = LedgerAccounts.Earnings(userId);
        var walletTx = await ledger.TransactionsAsync(wallet, int.MaxValue, cancellationToken);
        var earningTx = await ledger.TransactionsAsync(earnings, int.MaxValue, cancellationToken);
        var payoutList = payouts is null ? [] : await AllPages.ReadAsync(t => payouts.ListByCreatorAsync(userId, 100, t, cancellationToken));
        var invoiceList = invoices is null ? [] : await invoices.ListAsync(userId, cancellationToken);
        if (walletTx.Count == 0 && earningTx.Count == 0 && payoutList.Count == 0 && invoiceList.Count == 0) return null;
        return new
        {
            Wallet = new { Account = wallet, Balance = await ledger.BalanceAsync(wallet, cancellationToken), Transactions = walletTx },
            Earnings = new { Account = earnings, Balance = await ledger.BalanceAsync(earnings, cancellationToken), Transactions = earningTx },
            Payouts = payoutList.Select(p => p with { ETag = null }).ToList(),
            Invoices = invoiceList,
        };
    }
}
