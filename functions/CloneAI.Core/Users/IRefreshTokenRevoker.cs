namespace CloneAI.Core.Users;

/// <summary>Ends a user's built-in refresh tokens (local mode only: Entra keeps its own sessions).</summary>
public interface IRefreshTokenRevoker
{
    Task RevokeAllAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken = default);
}
