using System.Globalization;
using System.Text;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;

namespace CloneAI.Local.Sqlite;

/// <summary>Opaque continuation tokens for offset paging in SQLite.</summary>
internal static class OffsetToken
{
    public const int MaxOffset = 1_000_000;

    public static string Encode(int offset) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes("o:" + offset.ToString(CultureInfo.InvariantCulture))).TrimEnd('=');

    public static int Decode(string? token)
    {
        if (token is null) return 0;
        try
        {
            var padded = token.PadRight(token.Length + (4 - token.Length % 4) % 4, '=');
            var text = Encoding.ASCII.GetString(Convert.FromBase64String(padded));
            if (text.StartsWith("o:", StringComparison.Ordinal) && int.TryParse(text.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var offset) && offset <= MaxOffset)
                return offset;
        }
        catch (FormatException)
        {
        }
        throw new ValidationException("continuationToken", "The continuation token is not valid. Start again from the first page.");
    }

    /// <summary>Rows were read with LIMIT pageSize + 1: the extra row only says that another page exists.</summary>
    public static Page<T> Paginate<T>(List<T> rows, int pageSize, int offset)
    {
        var more = rows.Count > pageSize;
        if (more) rows.RemoveAt(rows.Count - 1);
        return new Page<T>(rows, more ? Encode(offset + pageSize) : null);
    }
}
