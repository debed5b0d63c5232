namespace CloneAI.Core.Blobs;

public sealed record BlobContent(byte[] Data, string ContentType);
