using System.Security.Cryptography;
using System.Text;
using CloneAI.Core.Audit;
using CloneAI.Core.Auth;
using CloneAI.Core.Domain;
using CloneAI.Core.Email;
using CloneAI.Core.Errors;
using CloneAI.Core.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Moderation;

/// <summary>A verification request in the admins' list, with the creator who sent it.</summary>
public sealed record PendingVerification(VerificationRequest Request, User? Creator);

/// <summary>
/// Verified experts. A creator asks to be verified with evidence (links and a statement), one pending request at a time. An
/// admin approves (the user gets <see cref="User.VerifiedAt"/>, and every clone of theirs <see cref="Clone.OwnerVerified"/>)
/// or rejects with a reason the creator is told; both are audit-logged.
/// </summary>
public sealed class VerificationService(
    IVerificationStore requests,
    IUserStore users,
    CloneModeration moderation,
    IAuditLog audit,
    IOptions<AuthOptions> auth,
    TimeProvider time,
    ILogger<VerificationService> logger,
    IEmailSender? email = null)
{
    public const int MaxLinks = 5;
    public const int MaxLinkLength = 500;
    public const int MinStatement = 20;
    public const int MaxStatement = 2000;
    public const int MaxReason = 500;
    public const int MaxPageSize = 50;

    public async Task<VerificationRequest> RequestAsync(Caller caller, IReadOnlyList<string>? links, string? statement, CancellationToken cancellationToken = default)
    {
        if (!caller.IsCreator && !caller.IsAdmin) throw new ForbiddenException("Become a creator before you ask to be verified.");
        var v = new Validator();
        var cleaned = (links ?? []).Select(l => l?.Trim() ?? "").Where(l => l.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (cleaned.Count == 0) v.Add("links", "Give at least one link that shows who you are (a website, a publication, a professional profile).");
        if (cleaned.Count > MaxLinks) v.Add("links", $"At most {MaxLinks} links.");
        if (cleaned.Any(l => l.Length > MaxLinkLength || !Uri.TryCreate(l, UriKind.Absolute, out var u) || (u.Scheme != Uri.UriSchemeHttps && u.Scheme != Uri.UriSchemeHttp)))
            v.Add("links", $"Each link must be an http or https address of at most {MaxLinkLength} characters.");
        v.Require("statement", statement, MaxStatement, MinStatement);
        v.ThrowIfInvalid();

        var user = await users.GetAsync(caller.UserId, cancellationToken) ?? throw new NotFoundException("No such user.");
        if (user.VerifiedAt is not null) throw new ConflictException("You are already a verified expert.");
        var mine = await requests.ListByUserAsync(caller.UserId, cancellationToken);
        if (mine.Any(r => r.Status == VerificationStatus.Pending)) throw new ConflictException("You already have a request waiting for review.");
        // The id counts the user's earlier requests: two sent at once make the same id, and the store refuses the second.
        var request = new VerificationRequest
        {
            Id = $"v-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(caller.UserId)))[..24]}-{mine.Count}",
            UserId = caller.UserId,
            Links = cleaned,
            Statement = statement!.Trim(),
            CreatedAt = time.GetUtcNow(),
        };
        try
        {
            return await requests.CreateAsync(request, cancellationToken);
        }
        catch (ConflictException)
        {
            throw new ConflictException("You already have a request waiting for review.");
        }
    }

    /// <summary>The caller's verified time and newest request (null when they never asked).</summary>
    public async Task<(DateTimeOffset? VerifiedAt, VerificationRequest? Latest)> GetMineAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        var user = await users.GetAsync(caller.UserId, cancellationToken);
        var mine = await requests.ListByUserAsync(caller.UserId, cancellationToken);
        return (user?.VerifiedAt, mine.OrderByDescending(r => r.CreatedAt).FirstOrDefault());
    }

    public async Task<Page<PendingVerification>> ListAsync(Caller caller, string? status, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        ReportService.RequireAdmin(caller);
        status ??= VerificationStatus.Pending;
        var v = new Validator();
        if (!VerificationStatus.All.Contains(status)) v.Add("status", $"Use one of: {string.Join(", ", VerificationStatus.All)}.");
        if (pageSize is < 1 or > MaxPageSize) v.Add("pageSize", $"Must be between 1 and {MaxPageSize}.");
        v.Optional("continuationToken", continuationToken, 2000);
        v.ThrowIfInvalid();
        var page = await requests.ListAsync(status, pageSize, continuationToken, cancellationToken);
        var items = new List<PendingVerification>(page.Items.Count);
        foreach (var r in page.Items) items.Add(new PendingVerification(r, await users.GetAsync(r.UserId, cancellationToken)));
        return new Page<PendingVerification>(items, page.ContinuationToken);
    }

    public async Task<PendingVerification> ApproveAsync(Caller caller, string id, string? reason, CancellationToken cancellationToken = default)
    {
        var (request, note) = await DecidableAsync(caller, id, reason, cancellationToken);
        var now = time.GetUtcNow();
        var user = await SetVerifiedAsync(request.UserId, now, cancellationToken);
        await moderation.MarkOwnerVerifiedAsync(request.UserId, true, cancellationToken);
        var decided = await requests.UpdateAsync(request with { Status = VerificationStatus.Approved, DecidedAt = now, DecidedBy = caller.UserId, DecisionReason = note }, cancellationToken);
        await AppendAsync(caller, AuditActions.VerificationApproved, decided, note, cancellationToken);
        if (user is not null) await SendAsync(ModerationEmails.VerificationApproved(user.Email, decided.Id, auth.Value.PublicBaseUrl), cancellationToken);
        logger.LogInformation("Verification {RequestId} approved", decided.Id);
        return new PendingVerification(decided, user);
    }

    public async Task<PendingVerification> RejectAsync(Caller caller, string id, string? reason, CancellationToken cancellationToken = default)
    {
        var (request, note) = await DecidableAsync(caller, id, reason, cancellationToken);
        var decided = await requests.UpdateAsync(request with { Status = VerificationStatus.Rejected, DecidedAt = time.GetUtcNow(), DecidedBy = caller.UserId, DecisionReason = note }, cancellationToken);
        await AppendAsync(caller, AuditActions.VerificationRejected, decided, note, cancellationToken);
        var user = await users.GetAsync(request.UserId, cancellationToken);
        if (user is not null) await SendAsync(ModerationEmails.VerificationRejected(user.Email, decided.Id, note, auth.Value.PublicBaseUrl), cancellationToken);
        logger.LogInformation("Verification {RequestId} rejected", decided.Id);
        return new PendingVerification(decided, user);
    }

    private async Task<(VerificationRequest Request, string Reason)> DecidableAsync(Caller caller, string id, string? reason, CancellationToken cancellationToken)
    {
        ReportService.RequireAdmin(caller);
        var v = new Validator();
        v.Require("reason", reason, MaxReason);
        v.ThrowIfInvalid();
        var request = await requests.GetAsync(id, cancellationToken) ?? throw new NotFoundException("No such verification request.");
        if (request.Status != VerificationStatus.Pending) throw new ConflictException("This request has already been decided.");
        return (request, reason!.Trim());
    }

    private async Task<User?> SetVerifiedAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var user = await users.GetAsync(userId, cancellationToken);
            if (user is null || user.VerifiedAt is not null) return user;
            try
            {
                return await users.ReplaceAsync(user with { VerifiedAt = now, UpdatedAt = now }, cancellationToken);
            }
            catch (ConflictException) when (attempt < 5)
            {
            }
        }
    }

    private Task AppendAsync(Caller caller, string action, VerificationRequest request, string reason, CancellationToken cancellationToken) =>
        audit.AppendAsync(new AuditEntry
        {
            Id = Guid.NewGuid().ToString("N"), At = time.GetUtcNow(), ActorId = caller.UserId, ActorEmail = caller.Email, Action = action,
            TargetType = AuditTargets.Verification, TargetId = request.Id, SubjectUserId = request.UserId, Reason = reason,
        }, cancellationToken);

    private async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        if (email is null || string.IsNullOrWhiteSpace(message.To)) return;
        try
        {
            await email.SendAsync(message, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "A verification decision could not be emailed");
        }
    }
}
