using System.Security.Cryptography;
using CloneAI.Core.Billing;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Clones;

/// <summary>Creating, editing, publishing and finding clones. Only the owner or an admin changes a clone.</summary>
public sealed class CloneService(ICloneStore store, TimeProvider time, ILogger<CloneService> logger, IOptions<BillingOptions>? billing = null, IUserStore? users = null)
{
    /// <summary>
    /// The platform currency (<see cref="BillingOptions.Currency"/>): a clone's prices are in it, and new clones get it. Without
    /// billing settings (a bare service in a unit test) any supported currency is taken, as before billing.
    /// </summary>
    private string? PlatformCurrency => billing?.Value.Currency;

    public const int MaxName = 80;
    public const int MaxTagline = 140;
    public const int MaxDescription = 5000;
    public const int MaxTags = 10;
    public const int MaxTagLength = 30;
    public const int MaxGreeting = 500;
    public const int MaxInstructions = 4000;
    public const int MaxTopics = 20;
    public const int MaxTopicLength = 100;
    public const int MaxDontKnow = 500;
    public const long MaxPrice = 100_000_00;
    public const int MaxFreeMessages = 1000;
    public const int MaxQuery = 200;
    public const int MaxPageSize = 50;

    public async Task<Clone> CreateAsync(Caller caller, CloneInput input, CancellationToken cancellationToken = default)
    {
        if (!caller.IsCreator && !caller.IsAdmin) throw new ForbiddenException("Become a creator before you create a clone.");
        var v = new Validator();
        v.Require("name", input.Name, MaxName, 2);
        v.Require("category", input.Category, 40);
        if (input.Category is not null && !Categories.Exists(input.Category)) v.Add("category", "Pick one of the listed categories.");
        if (input.Slug is not null && !Slugs.IsValid(input.Slug)) v.Add("slug", "Use 3 to 60 lowercase letters, digits and single dashes.");
        else if (input.Slug is not null && Slugs.LooksLikeId(input.Slug)) v.Add("slug", Slugs.IdLikeMessage);
        ValidateCommon(v, input);
        v.ThrowIfInvalid();

        var now = time.GetUtcNow();
        // A verified expert's new clones carry the badge from the start (moderation: verified experts).
        var ownerVerified = users is not null && (await users.GetAsync(caller.UserId, cancellationToken))?.VerifiedAt is not null;
        var clone = Apply(new Clone
        {
            OwnerVerified = ownerVerified,
            Id = Guid.CreateVersion7().ToString("N"),
            Slug = input.Slug ?? Slugs.FromName(input.Name!),
            OwnerId = caller.UserId,
            OwnerName = caller.DisplayName,
            Name = input.Name!.Trim(),
            Category = input.Category!,
            Persona = new Persona { DontKnowMessage = "I don't know that from what I have been given." },
            Pricing = PlatformCurrency is { } currency ? new Pricing { Currency = currency } : new Pricing(),
            CreatedAt = now,
            UpdatedAt = now,
        }, input);

        if (input.Slug is not null) return await store.CreateAsync(clone, cancellationToken);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var created = await store.CreateAsync(clone, cancellationToken);
                logger.LogInformation("Clone {CloneId} created by {UserId}", created.Id, caller.UserId);
                return created;
            }
            catch (ConflictException) when (attempt < 5)
            {
                var baseSlug = Slugs.FromName(input.Name!);
                clone = clone with { Slug = $"{baseSlug}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}" };
            }
        }
    }

    public async Task<Clone> GetAsync(Caller? caller, string idOrSlug, CancellationToken cancellationToken = default)
    {
        var clone = await FindAsync(idOrSlug, cancellationToken);
        if (clone is null || clone.Status == CloneStatus.Deleted) throw NotFound();
        if (clone.Status != CloneStatus.Published && !CanManage(caller, clone)) throw NotFound();
        // Hidden by moderation: as if unpublished, except to its owner and admins.
        if (clone.HiddenAt is not null && !CanManage(caller, clone)) throw NotFound();
        return clone;
    }

    public async Task<Clone> UpdateAsync(Caller caller, string idOrSlug, CloneInput input, CancellationToken cancellationToken = default)
    {
        var clone = await GetManagedAsync(caller, idOrSlug, cancellationToken);
        var v = new Validator();
        if (input.Name is not null) v.Require("name", input.Name, MaxName, 2);
        if (input.Category is not null && !Categories.Exists(input.Category)) v.Add("category", "Pick one of the listed categories.");
        if (input.Slug is not null && !Slugs.IsValid(input.Slug)) v.Add("slug", "Use 3 to 60 lowercase letters, digits and single dashes.");
        else if (input.Slug is not null && input.Slug != clone.Slug && Slugs.LooksLikeId(input.Slug)) v.Add("slug", Slugs.IdLikeMessage);
        ValidateCommon(v, input);
        v.ThrowIfInvalid();

        var updated = Apply(clone, input) with
        {
            Name = input.Name?.Trim() ?? clone.Name,
            Slug = input.Slug ?? clone.Slug,
            Category = input.Category ?? clone.Category,
            UpdatedAt = time.GetUtcNow(),
        };
        if (updated.Status == CloneStatus.Published) ValidatePublishable(updated);
        return await store.ReplaceAsync(updated, updated.Slug == clone.Slug ? null : clone.Slug, cancellationToken);
    }

    public async Task DeleteAsync(Caller caller, string idOrSlug, CancellationToken cancellationToken = default)
    {
        var clone = await GetManagedAsync(caller, idOrSlug, cancellationToken);
        await store.ReplaceAsync(clone with { Status = CloneStatus.Deleted, UpdatedAt = time.GetUtcNow() }, null, cancellationToken);
        logger.LogInformation("Clone {CloneId} deleted by {UserId}", clone.Id, caller.UserId);
    }

    public async Task<Clone> PublishAsync(Caller caller, string idOrSlug, CancellationToken cancellationToken = default)
    {
        var clone = await GetManagedAsync(caller, idOrSlug, cancellationToken);
        ValidatePublishable(clone);
        if (clone.Status == CloneStatus.Published) return clone;
        var now = time.GetUtcNow();
        return await store.ReplaceAsync(clone with { Status = CloneStatus.Published, PublishedAt = clone.PublishedAt ?? now, UpdatedAt = now }, null, cancellationToken);
    }

    public async Task<Clone> UnpublishAsync(Caller caller, string idOrSlug, CancellationToken cancellationToken = default)
    {
        var clone = await GetManagedAsync(caller, idOrSlug, cancellationToken);
        if (clone.Status == CloneStatus.Draft) return clone;
        return await store.ReplaceAsync(clone with { Status = CloneStatus.Draft, UpdatedAt = time.GetUtcNow() }, null, cancellationToken);
    }

    public async Task<Clone> SetAvatarAsync(Caller caller, string idOrSlug, string blobPath, CancellationToken cancellationToken = default)
    {
        var clone = await GetManagedAsync(caller, idOrSlug, cancellationToken);
        return await store.ReplaceAsync(clone with { AvatarBlob = blobPath, UpdatedAt = time.GetUtcNow() }, null, cancellationToken);
    }

    public Task<Page<Clone>> SearchAsync(MarketplaceQuery query, CancellationToken cancellationToken = default)
    {
        var v = new Validator();
        v.Optional("q", query.Query, MaxQuery);
        if (query.Category is not null && !Categories.Exists(query.Category)) v.Add("category", "Unknown category.");
        if (query.MinPrice is < 0 or > MaxPrice) v.Add("minPrice", "Must be between 0 and the maximum price.");
        if (query.MaxPrice is < 0 or > MaxPrice) v.Add("maxPrice", "Must be between 0 and the maximum price.");
        if (query is { MinPrice: { } min, MaxPrice: { } max } && min > max) v.Add("maxPrice", "Must not be below minPrice.");
        if (query.MinRating is < 0 or > 5 || query.MinRating is double.NaN) v.Add("minRating", "Must be between 0 and 5.");
        if (query.Sort is not null && !MarketplaceSort.All.Contains(query.Sort)) v.Add("sort", $"Use one of: {string.Join(", ", MarketplaceSort.All)}.");
        if (query.PageSize is < 1 or > MaxPageSize) v.Add("pageSize", $"Must be between 1 and {MaxPageSize}.");
        v.Optional("continuationToken", query.ContinuationToken, 1000);
        v.ThrowIfInvalid();
        var text = string.IsNullOrWhiteSpace(query.Query) ? null : query.Query.Trim();
        var sort = query.Sort ?? (text is null ? MarketplaceSort.Popular : MarketplaceSort.Relevance);
        if (sort == MarketplaceSort.Relevance && text is null) sort = MarketplaceSort.Popular;
        return store.SearchPublishedAsync(query with { Query = text, Sort = sort }, cancellationToken);
    }

    public Task<Page<Clone>> ListMineAsync(Caller caller, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        if (pageSize is < 1 or > MaxPageSize) throw new ValidationException("pageSize", $"Must be between 1 and {MaxPageSize}.");
        return store.ListByOwnerAsync(caller.UserId, pageSize, continuationToken, cancellationToken);
    }

    public static bool CanManage(Caller? caller, Clone clone) => caller is not null && (caller.IsAdmin || caller.UserId == clone.OwnerId);

    /// <summary>Loads a clone the caller may change: 404 when it does not exist (or is hidden), 403 when it is someone else's.</summary>
    public async Task<Clone> GetManagedAsync(Caller caller, string idOrSlug, CancellationToken cancellationToken = default)
    {
        var clone = await FindAsync(idOrSlug, cancellationToken);
        if (clone is null || clone.Status == CloneStatus.Deleted) throw NotFound();
        if (CanManage(caller, clone)) return clone;
        // A draft of someone else is not shown to exist; a published clone is, so changing it is forbidden.
        throw clone.Status == CloneStatus.Published ? new ForbiddenException("Only the owner of this clone can change it.") : NotFound();
    }

    /// <summary>The owner of the clone with this id, or null when there is none.</summary>
    public async Task<string?> FindOwnerAsync(string cloneId, CancellationToken cancellationToken = default) =>
        (await store.GetAsync(cloneId, cancellationToken))?.OwnerId;

    private async Task<Clone?> FindAsync(string idOrSlug, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(idOrSlug) || idOrSlug.Length > 100) return null;
        return await store.GetAsync(idOrSlug, cancellationToken) ?? await store.GetBySlugAsync(idOrSlug.ToLowerInvariant(), cancellationToken);
    }

    private static NotFoundException NotFound() => new("No such clone.");

    private void ValidateCommon(Validator v, CloneInput input)
    {
        v.Optional("tagline", input.Tagline, MaxTagline);
        v.Optional("description", input.Description, MaxDescription);
        if (input.Tags is { } tags)
        {
            if (tags.Count > MaxTags) v.Add("tags", $"At most {MaxTags} tags.");
            if (tags.Any(t => string.IsNullOrWhiteSpace(t) || t.Trim().Length > MaxTagLength)) v.Add("tags", $"Each tag needs 1 to {MaxTagLength} characters.");
        }
        if (input.Persona is { } p)
        {
            v.Optional("persona.greeting", p.Greeting, MaxGreeting);
            v.Optional("persona.instructions", p.Instructions, MaxInstructions);
            v.Optional("persona.dontKnowMessage", p.DontKnowMessage, MaxDontKnow);
            if (p.Tone is not null && !Tones.All.Contains(p.Tone)) v.Add("persona.tone", $"Use one of: {string.Join(", ", Tones.All)}.");
            if (p.AnswerLength is not null && !AnswerLengths.All.Contains(p.AnswerLength)) v.Add("persona.answerLength", $"Use one of: {string.Join(", ", AnswerLengths.All)}.");
            if (p.TopicsToAvoid is { } topics && (topics.Count > MaxTopics || topics.Any(t => string.IsNullOrWhiteSpace(t) || t.Length > MaxTopicLength)))
                v.Add("persona.topicsToAvoid", $"At most {MaxTopics} topics of 1 to {MaxTopicLength} characters.");
        }
        if (input.Pricing is { } price)
        {
            if (price.PerMinute is < 0 or > MaxPrice) v.Add("pricing.perMinute", "Must be a whole number of minor units from 0 to 10,000,000.");
            if (price.PerMessage is < 0 or > MaxPrice) v.Add("pricing.perMessage", "Must be a whole number of minor units from 0 to 10,000,000.");
            if (price.Currency is not null && !Currencies.Supported.Contains(price.Currency)) v.Add("pricing.currency", $"Use one of: {string.Join(", ", Currencies.Supported)}.");
            else if (price.Currency is not null && PlatformCurrency is { } platform && price.Currency != platform)
                v.Add("pricing.currency", $"Prices are in the platform currency, {platform}.");
            if (price.FreeMessages is < 0 or > MaxFreeMessages) v.Add("pricing.freeMessages", $"Must be between 0 and {MaxFreeMessages}.");
        }
    }

    private static void ValidatePublishable(Clone clone)
    {
        var v = new Validator();
        if (string.IsNullOrWhiteSpace(clone.Description)) v.Add("description", "Add a description before publishing.");
        if (string.IsNullOrWhiteSpace(clone.Persona.Greeting)) v.Add("persona.greeting", "Add a greeting before publishing.");
        if (string.IsNullOrWhiteSpace(clone.Persona.Instructions)) v.Add("persona.instructions", "Describe how the clone should answer before publishing.");
        if (clone.Pricing.PerMinute is null && clone.Pricing.PerMessage is null) v.Add("pricing", "Set a price per minute or per message before publishing.");
        if (!v.IsValid) v.Add("status", "The clone cannot be published yet.");
        v.ThrowIfInvalid();
    }

    private static Clone Apply(Clone clone, CloneInput input)
    {
        var persona = clone.Persona;
        if (input.Persona is { } p)
        {
            persona = persona with
            {
                Greeting = p.Greeting?.Trim() ?? persona.Greeting,
                Tone = p.Tone ?? persona.Tone,
                AnswerLength = p.AnswerLength ?? persona.AnswerLength,
                Instructions = p.Instructions?.Trim() ?? persona.Instructions,
                TopicsToAvoid = p.TopicsToAvoid?.Select(t => t.Trim()).ToList() ?? persona.TopicsToAvoid,
                DontKnowMessage = p.DontKnowMessage?.Trim() ?? persona.DontKnowMessage,
            };
        }
        var pricing = clone.Pricing;
        if (input.Pricing is { } price)
        {
            pricing = pricing with
            {
                PerMinute = price.ClearPerMinute ? null : price.PerMinute ?? pricing.PerMinute,
                PerMessage = price.ClearPerMessage ? null : price.PerMessage ?? pricing.PerMessage,
                Currency = price.Currency ?? pricing.Currency,
                FreeMessages = price.FreeMessages ?? pricing.FreeMessages,
            };
        }
        return clone with
        {
            Tagline = input.Tagline?.Trim() ?? clone.Tagline,
            Description = input.Description?.Trim() ?? clone.Description,
            Tags = input.Tags?.Select(t => t.Trim().ToLowerInvariant()).Distinct().ToList() ?? clone.Tags,
            Persona = persona,
            Pricing = pricing,
        };
    }
}
