using System.Security.Cryptography;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;

namespace CloneAI.Core.Users;

/// <summary>
/// New security stamps: a changed stamp makes every access token issued before it invalid (local tokens carry the stamp; for
/// Entra tokens <see cref="User.SessionsRevokedAt"/>, set with it, does the same by their issue time).
/// </summary>
public static class SecurityStamps
{
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Gives the user a new stamp (and applies <paramref name="change"/>), retrying when another write came first.</summary>
    public static async Task<User?> RotateAsync(IUserStore users, string userId, TimeProvider time, Func<User, User>? change = null,
        CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var user = await users.GetAsync(userId, cancellationToken);
            if (user is null) return null;
            var now = time.GetUtcNow();
            var next = (change?.Invoke(user) ?? user) with { SecurityStamp = New(), SessionsRevokedAt = now, UpdatedAt = now };
            try
            {
                return await users.ReplaceAsync(next, cancellationToken);
            }
            catch (ConflictException) when (attempt < 5)
            {
            }
        }
    }
}
