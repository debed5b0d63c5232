namespace CloneAI.Core.Knowledge;

public sealed record UploadTicket(KnowledgeDocument Document, Uri UploadUrl, DateTimeOffset ExpiresAt);
