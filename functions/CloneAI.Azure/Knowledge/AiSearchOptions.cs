using System.ComponentModel.DataAnnotations;
using CloneAI.Core;

namespace CloneAI.Azure.Knowledge;

/// <summary>Azure AI Search, the retrieval index in Azure (section <c>Search</c>).</summary>
public sealed class AiSearchOptions
{
    public const string Section = "Search";

    /// <summary>The service, e.g. <c>https://cloneai-search.search.windows.net</c>.</summary>
    [Required]
    public Uri? Endpoint { get; set; }

    /// <summary>An admin key. Empty: <c>DefaultAzureCredential</c> (the managed identity needs "Search Index Data Contributor" and "Search Service Contributor").</summary>
    public string? ApiKey { get; set; }

    [Required, RegularExpression("^[a-z0-9][a-z0-9-]{0,126}[a-z0-9]$")]
    public string IndexName { get; set; } = AzureNames.KnowledgeIndexName;

    /// <summary>Re-rank with the semantic ranker (a paid feature of Basic and higher tiers).</summary>
    public bool SemanticRanker { get; set; }

    /// <summary>Dimensions of the vector field; must equal the embedding model's.</summary>
    [Range(2, 4096)]
    public int Dimensions { get; set; } = 384;

    /// <summary>Results asked of the service per requested hit, before the per-document cap is applied here.</summary>
    [Range(1, 20)]
    public int OverFetch { get; set; } = 4;
}
