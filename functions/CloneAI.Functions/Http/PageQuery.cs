using System.ComponentModel;

namespace CloneAI.Functions.Http;

/// <summary>Paging of a list: its size and the token the previous page returned.</summary>
public sealed record PageQuery([Description("1 to 50, default 20.")] int? PageSize, string? ContinuationToken);
