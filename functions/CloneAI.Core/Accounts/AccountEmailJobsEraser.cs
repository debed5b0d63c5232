using CloneAI.Core.UserData;
using CloneAI.Core.Users;

namespace CloneAI.Core.Accounts;

/// <summary>
/// Account deletion: account emails still queued for the user's address go unsent. Runs early, while the user's record still
/// names the address.
/// </summary>
public sealed class AccountEmailJobsEraser(IUserStore users, IAccountEmailJobs jobs) : IUserDataEraser
{
    public string Name => "queued account emails";

    public int Order => 10;

    public async Task EraseAsync(string userId, string pseudonym, CancellationToken cancellationToken = default)
    {
        if (await users.GetAsync(userId, cancellationToken) is not { } user) return;
        await jobs.DeleteByAddressAsync(user.Email, cancellationToken);
    }
}
