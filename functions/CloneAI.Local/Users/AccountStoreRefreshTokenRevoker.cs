using CloneAI.Core.Accounts;
using CloneAI.Core.Users;

namespace CloneAI.Local.Users;

/// <summary>Revokes a user's refresh tokens in the account store, for <see cref="UserService.RevokeSessionsAsync"/>.</summary>
public sealed class AccountStoreRefreshTokenRevoker(IAccountStore accounts) : IRefreshTokenRevoker
{
    public Task RevokeAllAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        accounts.RevokeAllAsync(userId, TokenKinds.Refresh, now, cancellationToken);
}
