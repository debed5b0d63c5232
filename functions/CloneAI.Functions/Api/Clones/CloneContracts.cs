using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Functions.Http;

namespace CloneAI.Functions.Api.Clones;

/// <summary>
/// A clone as the API shows it. Its instructions and topics to avoid are the creator's prompt: only the owner or an admin
/// sees them; everyone else gets them empty.
/// </summary>
public sealed record CloneDto(
    string Id, string Slug, string Name, string Tagline, string Description, string Category, IReadOnlyList<string> Tags,
    [property: ValuesFrom(typeof(CloneStatus))] string Status, string OwnerId, string OwnerName, string? AvatarUrl, PersonaDto Persona, PricingDto Pricing,
    double Rating, int RatingCount, int SessionCount, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? PublishedAt,
    [property: Description("Featured by an admin: shown first in the marketplace's default order, with a Featured label.")] bool Featured = false)
{
    /// <param name="full">Whether the caller may see the creator's prompt (owner or admin).</param>
    public static CloneDto From(Clone c, bool full) => new(
        c.Id, c.Slug, c.Name, c.Tagline, c.Description, c.Category, c.Tags, c.Status, c.OwnerId, c.OwnerName,
        c.AvatarBlob is null ? null : $"/api/clones/{c.Id}/avatar?v={c.UpdatedAt.ToUnixTimeSeconds()}",
        new PersonaDto(c.Persona.Greeting, c.Persona.Tone, c.Persona.AnswerLength, full ? c.Persona.Instructions : "", full ? c.Persona.TopicsToAvoid : [], c.Persona.DontKnowMessage),
        new PricingDto(c.Pricing.PerMinute, c.Pricing.PerMessage, c.Pricing.Currency, c.Pricing.FreeMessages),
        Math.Round(c.Rating, 2), c.RatingCount, c.SessionCount, c.CreatedAt, c.UpdatedAt, c.PublishedAt, c.Featured);

    public static ClonePage Page(Page<Clone> page, bool full) => new(page.Items.Select(c => From(c, full)).ToList(), page.ContinuationToken);
}

public sealed record PersonaDto(
    string Greeting, [property: ValuesFrom(typeof(Tones))] string Tone, [property: ValuesFrom(typeof(AnswerLengths))] string AnswerLength,
    string Instructions, IReadOnlyList<string> TopicsToAvoid, string DontKnowMessage);

/// <summary>Prices in integer minor units (cents) of the currency; a null price is not charged.</summary>
public sealed record PricingDto(long? PerMinute, long? PerMessage, [property: ValuesFrom(typeof(Currencies))] string Currency, int FreeMessages);

/// <summary>A page of clones and the token of the next page (null on the last).</summary>
public sealed record ClonePage(IReadOnlyList<CloneDto> Items, string? ContinuationToken);

/// <summary>The persona fields of a create or change; absent fields stay as they are.</summary>
public sealed record PersonaRequest(
    string? Greeting, [ValuesFrom(typeof(Tones))] string? Tone, [ValuesFrom(typeof(AnswerLengths))] string? AnswerLength,
    string? Instructions, IReadOnlyList<string>? TopicsToAvoid, string? DontKnowMessage)
{
    public PersonaInput ToInput() => new(Greeting, Tone, AnswerLength, Instructions, TopicsToAvoid, DontKnowMessage);
}

/// <summary>The pricing fields of a create or change; absent fields stay as they are, and null clears a price.</summary>
public sealed record PricingRequest(
    [NullClears, Description("Minor units per started minute; null clears it.")] long? PerMinute,
    [NullClears, Description("Minor units per answered message after the free ones; null clears it.")] long? PerMessage,
    [ValuesFrom(typeof(Currencies))] string? Currency,
    int? FreeMessages)
{
    public PricingInput ToInput(IReadOnlySet<string> nulls) =>
        new(PerMinute, PerMessage, Currency, FreeMessages, nulls.Contains("pricing.perMinute"), nulls.Contains("pricing.perMessage"));
}

/// <summary>A new draft clone.</summary>
public sealed record CreateCloneRequest(
    [Required] string? Name, string? Slug, string? Tagline, string? Description, [Required] string? Category, IReadOnlyList<string>? Tags,
    PersonaRequest? Persona, PricingRequest? Pricing)
{
    public CloneInput ToInput(IReadOnlySet<string> nulls) =>
        new(Name, Slug, Tagline, Description, Category, Tags, Persona?.ToInput(), Pricing?.ToInput(nulls));
}

/// <summary>A change of a clone; absent fields stay as they are.</summary>
public sealed record UpdateCloneRequest(
    string? Name, string? Slug, string? Tagline, string? Description, string? Category, IReadOnlyList<string>? Tags,
    PersonaRequest? Persona, PricingRequest? Pricing)
{
    public CloneInput ToInput(IReadOnlySet<string> nulls) =>
        new(Name, Slug, Tagline, Description, Category, Tags, Persona?.ToInput(), Pricing?.ToInput(nulls));
}

/// <summary>The marketplace's filters and paging; relevance is the default sort when <c>q</c> is given.</summary>
public sealed record MarketplaceQueryParameters(
    [Description("Words to look for in names, taglines, descriptions and tags.")] string? Q,
    string? Category,
    [Description("Lowest price in minor units.")] long? MinPrice,
    [Description("Highest price in minor units.")] long? MaxPrice,
    [Description("Lowest average rating, 0 to 5.")] double? MinRating,
    [ValuesFrom(typeof(MarketplaceSort))] string? Sort,
    [Description("1 to 50, default 20.")] int? PageSize,
    string? ContinuationToken)
{
    public MarketplaceQuery ToQuery() => new()
    {
        Query = Q, Category = Category, MinPrice = MinPrice, MaxPrice = MaxPrice, MinRating = MinRating, Sort = Sort,
        PageSize = PageSize ?? 20, ContinuationToken = ContinuationToken,
    };
}
