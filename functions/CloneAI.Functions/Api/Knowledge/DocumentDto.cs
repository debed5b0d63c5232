using CloneAI.Core.Knowledge;

namespace CloneAI.Functions.Api.Knowledge;

public sealed record DocumentDto(
    string Id, string FileName, string Title, string ContentType, long Size, string Status, string Stage, int Progress,
    int ChunkCount, int TokenCount, int PageCount, IReadOnlyList<string> Tags, string? Category, string? Error, string Summary,
    string Sha256, string? SourceUrl, string? EmbeddingModel, IReadOnlyDictionary<string, double> StageSeconds,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? ReadyAt, bool? Duplicate = null)
{
    public static DocumentDto From(KnowledgeDocument d, bool? duplicate = null) => new(
        d.Id, d.FileName, d.Title, d.ContentType, d.Size, d.Status, d.Stage, d.Progress, d.ChunkCount, d.TokenCount, d.PageCount,
        d.Tags, d.Category, d.Error, d.Summary, d.Sha256, d.SourceUrl, d.EmbeddingModel, d.StageSeconds, d.CreatedAt, d.UpdatedAt,
        d.ReadyAt, duplicate);
}
