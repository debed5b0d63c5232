using CloneAI.Core.UserData;

namespace CloneAI.Core.Chat;

/// <summary>A user's ratings of clones and the clones they used (one record per clone): in their export, and gone with their account.</summary>
public sealed class CloneAudienceUserData(ICloneAudienceStore audience) : IUserDataEraser, IUserDataExporter
{
    public string Name => "clone-ratings";

    public Task EraseAsync(string userId, string pseudonym, CancellationToken cancellationToken = default) =>
        audience.DeleteUserAsync(userId, cancellationToken);

    public async Task<object?> ExportAsync(string userId, CancellationToken cancellationToken = default)
    {
        var entries = await audience.ListByUserAsync(userId, cancellationToken);
        return entries.Count == 0 ? null : entries.Select(e => new { e.CloneId, Used = e.Counted, e.Stars, e.SessionId, e.RatedAt }).ToList();
    }
}
