using CloneAI.Core.Domain;

namespace CloneAI.Functions.Api.Clones;

public sealed record CloneDto(
    string Id, string Slug, string Name, string Tagline, string Description, string Category, IReadOnlyList<string> Tags,
    string Status, string OwnerId, string OwnerName, string? AvatarUrl, PersonaDto Persona, PricingDto Pricing,
    double Rating, int RatingCount, int SessionCount, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? PublishedAt)
{
    /// <summary>
    /// The clone as JSON. Its instructions and topics to avoid are the creator's prompt: only the owner or an admin sees
    /// them (<paramref name="full"/>); everyone else gets them empty.
    /// </summary>
    public static CloneDto From(Clone c, bool full) => new(
        c.Id, c.Slug, c.Name, c.Tagline, c.Description, c.Category, c.Tags, c.Status, c.OwnerId, c.OwnerName,
        c.AvatarBlob is null ? null : $"/api/clones/{c.Id}/avatar?v={c.UpdatedAt.ToUnixTimeSeconds()}",
        new PersonaDto(c.Persona.Greeting, c.Persona.Tone, c.Persona.AnswerLength, full ? c.Persona.Instructions : "", full ? c.Persona.TopicsToAvoid : [], c.Persona.DontKnowMessage),
        new PricingDto(c.Pricing.PerMinute, c.Pricing.PerMessage, c.Pricing.Currency, c.Pricing.FreeMessages),
        Math.Round(c.Rating, 2), c.RatingCount, c.SessionCount, c.CreatedAt, c.UpdatedAt, c.PublishedAt);

    public static PageDto Page(Page<Clone> page, bool full) => new(page.Items.Select(c => From(c, full)).ToList(), page.ContinuationToken);
}

public sealed record PersonaDto(string Greeting, string Tone, string AnswerLength, string Instructions, IReadOnlyList<string> TopicsToAvoid, string DontKnowMessage);

public sealed record PricingDto(long? PerMinute, long? PerMessage, string Currency, int FreeMessages);

public sealed record PageDto(IReadOnlyList<CloneDto> Items, string? ContinuationToken);
