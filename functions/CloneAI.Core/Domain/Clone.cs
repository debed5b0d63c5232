namespace CloneAI.Core.Domain;

public static class CloneStatus
{
    public const string Draft = "draft";
    public const string Published = "published";
    public const string Deleted = "deleted";
}

public sealed record Persona
{
    public string Greeting { get; init; } = "";
    public string Tone { get; init; } = "friendly";
    public string AnswerLength { get; init; } = "medium";
    public string Instructions { get; init; } = "";
    public IReadOnlyList<string> TopicsToAvoid { get; init; } = [];
    public string DontKnowMessage { get; init; } = "";
}

/// <summary>Prices are integer minor units (cents) of <see cref="Currency"/>.</summary>
public sealed record Pricing
{
    public long? PerMinute { get; init; }
    public long? PerMessage { get; init; }
    public string Currency { get; init; } = "USD";
    public int FreeMessages { get; init; }
}

/// <summary>An AI persona. Partition key in Cosmos: <c>/id</c>; slugs are reserved in their own container.</summary>
public sealed record Clone
{
    public required string Id { get; init; }
    public required string Slug { get; init; }
    public required string OwnerId { get; init; }
    public required string Name { get; init; }
    public string Tagline { get; init; } = "";
    public string Description { get; init; } = "";
    public required string Category { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public string Status { get; init; } = CloneStatus.Draft;
    public Persona Persona { get; init; } = new();
    public Pricing Pricing { get; init; } = new();
    public string OwnerName { get; init; } = "";
    public double Rating { get; init; }
    public int RatingCount { get; init; }
    public int SessionCount { get; init; }
    public string? AvatarBlob { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    /// <summary>Featured by an admin: shown first in the marketplace.</summary>
    public bool Featured { get; init; }
    /// <summary>Set when an admin verified this clone (a clone also shows as verified when its owner is a verified expert).</summary>
    public DateTimeOffset? VerifiedAt { get; init; }
    /// <summary>Whether the owner is a verified expert (copied from the owner, like <see cref="OwnerName"/>).</summary>
    public bool OwnerVerified { get; init; }
    /// <summary>
    /// Set while the clone is hidden from the marketplace by moderation (enough open reports, or an admin), until reviewed.
    /// A hidden clone keeps its status; its page and sessions answer as if it were not published, except to its owner.
    /// </summary>
    public DateTimeOffset? HiddenAt { get; init; }
    public string? HiddenReason { get; init; }
    public string? ETag { get; init; }

    /// <summary>The lowest non-null price, used to filter and sort by price.</summary>
    public long SortPrice => Pricing.PerMinute ?? Pricing.PerMessage ?? 0;
}

public sealed record Category(string Id, string Name);

public static class Categories
{
    public static readonly IReadOnlyList<Category> All =
    [
        new("business", "Business & Strategy"),
        new("technology", "Technology & Engineering"),
        new("science", "Science & Research"),
        new("health", "Health & Wellness"),
        new("education", "Education & Tutoring"),
        new("finance", "Finance & Investing"),
        new("creative", "Art, Writing & Design"),
        new("career", "Career & Coaching"),
        new("law", "Law & Policy"),
        new("lifestyle", "Lifestyle & Hobbies"),
    ];

    public static bool Exists(string? id) => id is not null && All.Any(c => c.Id == id);
}

public static class Currencies
{
    public static readonly IReadOnlyList<string> Supported = ["USD", "EUR", "GBP", "CAD", "AUD", "JPY", "INR"];
}

public static class Tones
{
    public static readonly IReadOnlyList<string> All = ["friendly", "professional", "casual", "academic", "playful", "direct"];
}

public static class AnswerLengths
{
    public static readonly IReadOnlyList<string> All = ["short", "medium", "long"];
}
