namespace CloneAI.Azure.Cosmos;

internal static class CosmosIds
{
    /// <summary>Cosmos ids may not contain these; a request naming one can only be a miss.</summary>
    private static readonly char[] Forbidden = ['/', '\\', '?', '#'];

    public static bool IsValid(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 255 && id.IndexOfAny(Forbidden) < 0 && !id.Any(char.IsControl);
}
