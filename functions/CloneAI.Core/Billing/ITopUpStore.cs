namespace CloneAI.Core.Billing;

/// <summary>The top-up and whether this call created it (false: the user's idempotency key named an existing one).</summary>
public sealed record TopUpCreation(TopUp TopUp, bool Created);

/// <summary>
/// Where top-ups are kept: one per user and <see cref="TopUp.IdempotencyKey"/>. Replace is conditional on
/// <see cref="TopUp.ETag"/> (a top-up changed meanwhile is a <see cref="Errors.ConflictException"/>).
/// </summary>
public interface ITopUpStore
{
    /// <summary>Stores a new top-up, or returns the user's top-up with the same idempotency key (then <c>Created</c> is false).</summary>
    Task<TopUpCreation> CreateAsync(TopUp topUp, CancellationToken cancellationToken = default);

    /// <summary>One of the user's top-ups, or null.</summary>
    Task<TopUp?> GetAsync(string userId, string id, CancellationToken cancellationToken = default);

    /// <summary>A top-up by id alone (a provider's notice names the top-up, not its user), or null.</summary>
    Task<TopUp?> FindAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>A top-up by its provider's reference for the payment, or null.</summary>
    Task<TopUp?> FindByProviderReferenceAsync(string provider, string providerReference, CancellationToken cancellationToken = default);

    /// <summary>Replaces the top-up while its ETag matches; returns it with its new ETag.</summary>
    Task<TopUp> ReplaceAsync(TopUp topUp, CancellationToken cancellationToken = default);
}
