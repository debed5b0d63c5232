namespace CloneAI.Core.Accounts;

/// <summary>Credentials and one-time tokens of built-in accounts (local mode only).</summary>
public interface IAccountStore
{
    Task CreateCredentialAsync(Credential credential, CancellationToken cancellationToken = default);
    Task<Credential?> GetCredentialAsync(string userId, CancellationToken cancellationToken = default);
    Task UpdateCredentialAsync(Credential credential, CancellationToken cancellationToken = default);
    Task AddTokenAsync(OneTimeToken token, CancellationToken cancellationToken = default);
    /// <summary>Atomically marks the token used when it exists, is of <paramref name="kind"/>, unused and unexpired.</summary>
    Task<ConsumeResult> ConsumeTokenAsync(string hash, string kind, DateTimeOffset now, CancellationToken cancellationToken = default);
    Task RevokeFamilyAsync(string family, DateTimeOffset now, CancellationToken cancellationToken = default);
    Task RevokeAllAsync(string userId, string kind, DateTimeOffset now, CancellationToken cancellationToken = default);
}
