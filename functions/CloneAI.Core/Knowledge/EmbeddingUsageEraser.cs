using CloneAI.Core.UserData;

namespace CloneAI.Core.Knowledge;

/// <summary>The user's embedding-budget rows (how much document text their clones processed per day) go with their account.</summary>
public sealed class EmbeddingUsageEraser(IEmbeddingUsageStore usage) : IUserDataEraser
{
    public string Name => "embedding-usage";

    public Task EraseAsync(string userId, string pseudonym, CancellationToken cancellationToken = default) =>
        usage.DeleteUserAsync(userId, cancellationToken);
}
