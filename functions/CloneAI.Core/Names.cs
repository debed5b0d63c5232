namespace CloneAI.Core;

/// <summary>Names shared by code, tests and infrastructure (Bicep reads the same strings).</summary>
public static class Names
{
    public const string AvatarsPrefix = "avatars";
    public const string BlobContainer = "cloneai";
    public const string AuthModeLocal = "local";
    public const string AuthModeEntra = "entra";
}
