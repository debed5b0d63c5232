using CloneAI.Core.Auth;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Email;
using CloneAI.Core.Errors;
using CloneAI.Core.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Moderation;

/// <summary>
/// Hides a clone from the marketplace (search, recommendations and its public page) and shows it again, and tells its owner
/// by email. A hidden clone keeps its status; its owner still sees and edits it in Studio, where <see cref="Clone.HiddenReason"/>
/// explains why. Hiding an already hidden clone again changes nothing and sends nothing, unless a moderator hides it with a
/// note: then the moderator's review replaces the reason (an automatic hide becomes a moderator's decision) and the owner is told.
/// </summary>
public sealed class CloneModeration(ICloneStore clones, IUserStore users, IOptions<AuthOptions> auth, TimeProvider time, ILogger<CloneModeration> logger, IEmailSender? email = null)
{
    private const int Attempts = 5;

    /// <summary>
    /// Hides the clone (<paramref name="moderatorNote"/>: a moderator's decision, null for an automatic hide). Returns the clone
    /// and whether this call changed it.
    /// </summary>
    public async Task<(Clone Clone, bool Changed)> HideAsync(string cloneId, IReadOnlyList<string> reasons, string hiddenReason, string? moderatorNote, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var clone = await clones.GetAsync(cloneId, cancellationToken);
            if (clone is null || clone.Status == CloneStatus.Deleted) throw new NotFoundException("No such clone.");
            if (clone.HiddenAt is not null && (moderatorNote is null || clone.HiddenReason == hiddenReason)) return (clone, false);
            try
            {
                var hidden = await clones.ReplaceAsync(clone with { HiddenAt = clone.HiddenAt ?? time.GetUtcNow(), HiddenReason = hiddenReason }, null, cancellationToken);
                logger.LogInformation("Clone {CloneId} hidden by moderation (already hidden: {WasHidden})", cloneId, clone.HiddenAt is not null);
                await NotifyAsync(hidden, owner => ModerationEmails.CloneHidden(owner, hidden.Id, hidden.Name, reasons, moderatorNote, auth.Value.PublicBaseUrl), cancellationToken);
                return (hidden, true);
            }
            catch (ConflictException) when (attempt < Attempts)
            {
            }
        }
    }

    /// <summary>Shows the clone again. Returns the clone and whether this call changed it.</summary>
    public async Task<(Clone Clone, bool Changed)> RestoreAsync(string cloneId, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var clone = await clones.GetAsync(cloneId, cancellationToken);
            if (clone is null || clone.Status == CloneStatus.Deleted) throw new NotFoundException("No such clone.");
            if (clone.HiddenAt is null) return (clone, false);
            try
            {
                var shown = await clones.ReplaceAsync(clone with { HiddenAt = null, HiddenReason = null }, null, cancellationToken);
                logger.LogInformation("Clone {CloneId} restored by moderation", cloneId);
                await NotifyAsync(shown, owner => ModerationEmails.CloneRestored(owner, shown.Id, shown.Name, auth.Value.PublicBaseUrl), cancellationToken);
                return (shown, true);
            }
            catch (ConflictException) when (attempt < Attempts)
            {
            }
        }
    }

    /// <summary>Sets <see cref="Clone.OwnerVerified"/> on every clone of the owner (a verified expert's clones carry the badge).</summary>
    public async Task MarkOwnerVerifiedAsync(string ownerId, bool verified, CancellationToken cancellationToken = default)
    {
        string? token = null;
        do
        {
            var page = await clones.ListByOwnerAsync(ownerId, 50, token, cancellationToken);
            foreach (var listed in page.Items)
            {
                for (var attempt = 1; ; attempt++)
                {
                    var clone = attempt == 1 ? listed : await clones.GetAsync(listed.Id, cancellationToken);
                    if (clone is null || clone.OwnerVerified == verified) break;
                    try
                    {
                        await clones.ReplaceAsync(clone with { OwnerVerified = verified }, null, cancellationToken);
                        break;
                    }
                    catch (ConflictException) when (attempt < Attempts)
                    {
                    }
                }
            }
            token = page.ContinuationToken;
        }
        while (token is not null);
    }

    private async Task NotifyAsync(Clone clone, Func<string, EmailMessage> compose, CancellationToken cancellationToken)
    {
        if (email is null) return;
        try
        {
            var owner = await users.GetAsync(clone.OwnerId, cancellationToken);
            if (owner is null || string.IsNullOrWhiteSpace(owner.Email)) return;
            await email.SendAsync(compose(owner.Email), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "The owner of clone {CloneId} could not be told about a moderation change", clone.Id);
        }
    }
}
