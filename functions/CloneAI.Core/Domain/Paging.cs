namespace CloneAI.Core.Domain;

public sealed record Page<T>(IReadOnlyList<T> Items, string? ContinuationToken);

public static class MarketplaceSort
{
    public const string Popular = "popular";
    public const string Rating = "rating";
    public const string Newest = "newest";
    public const string Price = "price";
    /// <summary>Best text match first; the default when a query is given. Stores without text ranking fall back to popular.</summary>
    public const string Relevance = "relevance";
    public static readonly IReadOnlyList<string> All = [Popular, Rating, Newest, Price, Relevance];
}

/// <summary>A marketplace search. Prices are minor units; <see cref="Query"/> is free text, never syntax.</summary>
public sealed record MarketplaceQuery
{
    public string? Query { get; init; }
    public string? Category { get; init; }
    public long? MinPrice { get; init; }
    public long? MaxPrice { get; init; }
    public double? MinRating { get; init; }
    public string? Sort { get; init; }
    public int PageSize { get; init; } = 20;
    public string? ContinuationToken { get; init; }
}
