using System.Security.Cryptography;
using System.Text;

namespace CloneAI.Core.Users;

/// <summary>
/// Accounts that were deleted, remembered only by a salted SHA-256 of their id and the time of deletion. In Entra mode a user
/// record is created on a token's first call; without this, an access token issued before the deletion (valid up to an hour)
/// would bring the account back. A token issued after the deletion (a new sign-in) starts a new, empty account.
/// </summary>
public interface IDeletedAccounts
{
    /// <summary>Remembers that <paramref name="userId"/> was deleted at <paramref name="deletedAt"/> (the latest time wins).</summary>
    Task RememberAsync(string userId, DateTimeOffset deletedAt, CancellationToken cancellationToken = default);

    /// <summary>When <paramref name="userId"/> was deleted, or null.</summary>
    Task<DateTimeOffset?> DeletedAtAsync(string userId, CancellationToken cancellationToken = default);
}

public static class DeletedAccountKeys
{
    /// <summary>The key stored for a deleted id: nothing in it reads as the id.</summary>
    public static string Of(string userId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("cloneai-deleted-account:" + userId)));
}
