namespace CloneAI.Core.Knowledge;

public sealed record DocumentFilter(string? Status = null, string? Tag = null, int PageSize = 50, string? ContinuationToken = null);
