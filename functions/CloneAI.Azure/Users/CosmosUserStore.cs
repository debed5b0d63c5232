using System.Net;
using System.Security.Cryptography;
using System.Text;
using CloneAI.Core.Accounts;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Users;
using Microsoft.Azure.Cosmos;
using CloneAI.Azure.Cosmos;
using User = CloneAI.Core.Domain.User;

namespace CloneAI.Azure.Users;

/// <summary>
/// Users in the Cosmos container <c>users</c>, partition key <c>/id</c> (the user id, i.e. the token's subject), so a
/// caller's record is one point read. Emails are unique through a reservation document in the same container, id
/// <c>email|&lt;sha-256 of the normalized email&gt;</c>, created before the user and removed again if the user cannot be
/// created. Queued account emails (<see cref="Accounts.CosmosAccountEmailJobs"/>) share the container; their ids are not users'. A user's email never changes once stored (Core has no such operation), so replace leaves the reservation be.
/// Replace is conditional on the record's ETag: a 412 becomes a <see cref="ConflictException"/> (HTTP 409).
/// </summary>
public sealed class CosmosUserStore(Container users, TimeProvider time) : IUserStore
{
    public const string EmailReservationPrefix = "email|";

    private readonly Reservations _emails = new(users, "email", time);

    public CosmosUserStore(Container users) : this(users, TimeProvider.System) { }

    public async Task<User?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!CosmosIds.IsValid(id) || id.StartsWith(EmailReservationPrefix, StringComparison.Ordinal)
            || id.StartsWith(Accounts.CosmosAccountEmailJobs.IdPrefix, StringComparison.Ordinal)) return null;
        try
        {
            return WithETag(await users.ReadItemAsync<User>(id, new PartitionKey(id), cancellationToken: cancellationToken));
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>A cross-partition query on <c>c.email</c>; the email is a query parameter, never part of the text.</summary>
    public async Task<User?> FindByEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.email = @email")
            .WithParameter("@email", EmailAddress.Normalize(email));
        using var iterator = users.GetItemQueryIterator<User>(query, requestOptions: new QueryRequestOptions { MaxItemCount = 1 });
        while (iterator.HasMoreResults)
        {
            var page = await iterator.ReadNextAsync(cancellationToken);
            if (page.Resource?.FirstOrDefault() is { } user) return user;
        }
        return null;
    }

    public async Task<User> CreateAsync(User user, CancellationToken cancellationToken = default)
    {
        if (!CosmosIds.IsValid(user.Id) || user.Id.StartsWith(EmailReservationPrefix, StringComparison.Ordinal)
            || user.Id.StartsWith(Accounts.CosmosAccountEmailJobs.IdPrefix, StringComparison.Ordinal))
            throw new ValidationException("id", "This id cannot be stored.");
        var reservationId = EmailReservationId(user.Email);
        var reserved = await _emails.ReserveAsync(reservationId, user.Id, (ownerId, ct) => HoldsEmailAsync(ownerId, user.Email, ct),
            "An account with this email already exists.", cancellationToken);
        try
        {
            return WithETag(await users.CreateItemAsync(user with { ETag = null }, new PartitionKey(user.Id), cancellationToken: cancellationToken));
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            if (reserved) await _emails.ReleaseAsync(reservationId, user.Id);
            throw new ConflictException("This user already exists.");
        }
        catch
        {
            if (reserved) await _emails.ReleaseAsync(reservationId, user.Id);
            throw;
        }
    }

    /// <summary>Replaces the user if <see cref="User.ETag"/> still matches; returns the record with its new ETag.</summary>
    public async Task<User> ReplaceAsync(User user, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await users.ReplaceItemAsync(user, user.Id, new PartitionKey(user.Id),
                new ItemRequestOptions { IfMatchEtag = user.ETag }, cancellationToken);
            return WithETag(response);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            throw new ConflictException("This profile was changed by someone else. Reload it and try again.");
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new NotFoundException("No such user.");
        }
    }

    /// <summary>The reservation id of an email: a hash, because an email may hold characters a Cosmos id may not.</summary>
    public static string EmailReservationId(string email) =>
        EmailReservationPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(EmailAddress.Normalize(email))));

    private async Task<bool> HoldsEmailAsync(string userId, string email, CancellationToken cancellationToken) =>
        await GetAsync(userId, cancellationToken) is { } holder
        && string.Equals(holder.Email, EmailAddress.Normalize(email), StringComparison.Ordinal);

    private static User WithETag(ItemResponse<User> response) =>
        response.Resource with { ETag = response.ETag ?? response.Resource.ETag };
}
