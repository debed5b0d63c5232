using System.Text.Json.Serialization;

namespace CloneAI.Azure.Knowledge;

/// <summary>One chunk in the Azure AI Search index.</summary>
public sealed class KnowledgeSearchDocument
{
    [JsonPropertyName("id")] public string Id { get; set; } = "";
    [JsonPropertyName("chunkId")] public string ChunkId { get; set; } = "";
    [JsonPropertyName("cloneId")] public string CloneId { get; set; } = "";
    [JsonPropertyName("documentId")] public string DocumentId { get; set; } = "";
    [JsonPropertyName("ordinal")] public int Ordinal { get; set; }
    [JsonPropertyName("start")] public int Start { get; set; }
    [JsonPropertyName("end")] public int End { get; set; }
    [JsonPropertyName("page")] public int? Page { get; set; }
    [JsonPropertyName("headingPath")] public string HeadingPath { get; set; } = "";
    [JsonPropertyName("fileName")] public string FileName { get; set; } = "";
    [JsonPropertyName("title")] public string Title { get; set; } = "";
    [JsonPropertyName("text")] public string Text { get; set; } = "";
    [JsonPropertyName("tokenCount")] public int TokenCount { get; set; }
    [JsonPropertyName("model")] public string Model { get; set; } = "";
    [JsonPropertyName("dims")] public int Dims { get; set; }

    [JsonPropertyName("vector")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<float>? Vector { get; set; }
}
