using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Users;

namespace CloneAI.Core.Moderation;

/// <summary>A creator's public profile: who they are and their clones on the marketplace.</summary>
public sealed record CreatorProfile(User Creator, IReadOnlyList<Clone> Clones);

/// <summary>
/// Public creator profiles: display name, bio, expertise, whether they are a verified expert, and their published clones
/// that moderation has not hidden. Only creators have one; a disabled account has none.
/// </summary>
public sealed class CreatorProfiles(IUserStore users, ICloneStore clones)
{
    public const int MaxClones = 100;

    public async Task<CreatorProfile> GetAsync(string creatorId, CancellationToken cancellationToken = default)
    {
        var user = string.IsNullOrWhiteSpace(creatorId) || creatorId.Length > 100 ? null : await users.GetAsync(creatorId, cancellationToken);
        if (user is null || user.DisabledAt is not null) throw new NotFoundException("No such creator.");
        var shown = new List<Clone>();
        string? token = null;
        do
        {
            var page = await clones.ListByOwnerAsync(user.Id, 50, token, cancellationToken);
            shown.AddRange(page.Items.Where(c => c.Status == CloneStatus.Published && c.HiddenAt is null));
            token = page.ContinuationToken;
        }
        while (token is not null && shown.Count < MaxClones);
        if (!user.IsCreator && shown.Count == 0) throw new NotFoundException("No such creator.");
        return new CreatorProfile(user, shown.Take(MaxClones).ToList());
    }
}
