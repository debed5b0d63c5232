using System.Globalization;
using System.Text;
using CloneAI.Core.Errors;

namespace CloneAI.Core.Billing;

/// <summary>Opaque continuation tokens for <see cref="ILedger.TransactionsPageAsync"/>: an offset (the default) or a cursor.</summary>
public static class LedgerPaging
{
    public const int MaxPageSize = 100;

    /// <summary>How deep the offset paging of the default implementation reads (it re-reads every row before the page).</summary>
    public const int MaxOffset = 800;

    public static string EncodeOffset(int offset) => Encode("o", offset);

    public static int DecodeOffset(string? token)
    {
        if (string.IsNullOrEmpty(token)) return 0;
        var offset = Decode("o", token);
        return offset is >= 0 and <= MaxOffset ? (int)offset : throw Invalid();
    }

    /// <summary>A cursor: the position (a sequence number) the next page starts below.</summary>
    public static string EncodeCursor(long position) => Encode("c", position);

    public static long? DecodeCursor(string? token) => string.IsNullOrEmpty(token) ? null : Decode("c", token);

    private static string Encode(string kind, long value) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(kind + ":" + value.ToString(CultureInfo.InvariantCulture))).TrimEnd('=');

    private static long Decode(string kind, string token)
    {
        try
        {
            var padded = token.PadRight(token.Length + (4 - token.Length % 4) % 4, '=');
            var text = Encoding.ASCII.GetString(Convert.FromBase64String(padded));
            if (text.StartsWith(kind + ":", StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(kind.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                return value;
        }
        catch (FormatException)
        {
        }
        throw Invalid();
    }

    private static ValidationException Invalid() =>
        new("continuationToken", "The continuation token is not valid. Start again from the first page.");
}
