using CloneAI.Core.Users;
using CloneAI.Core.UserData;

namespace CloneAI.Core.Accounts;

/// <summary>
/// Account deletion: the failed sign-ins counted against the user's address (keyed by address and client IP) and the request
/// counts kept for it (<see cref="AuthThrottle"/>) go. Runs early, while the user's record still names the address.
/// </summary>
public sealed class SignInDataEraser(IUserStore users, IAccountStore accounts, AuthThrottle throttle) : IUserDataEraser
{
    public string Name => "sign-in throttles";

    public int Order => 10;

    public async Task EraseAsync(string userId, string pseudonym, CancellationToken cancellationToken = default)
    {
        if (await users.GetAsync(userId, cancellationToken) is not { } user) return;
        await accounts.ClearLoginFailuresAsync(SignInGuard.AccountPrefix(user.Email), cancellationToken);
        await throttle.ForgetAsync(user.Email, cancellationToken);
    }
}
