namespace CloneAI.Core.Recommendations;

/// <summary>
/// Everyone's uses, indexed both ways (clone → users, user → clones) for co-usage and popularity by distinct users.
/// Immutable once built, so one index serves concurrent requests.
/// </summary>
public sealed class UsageIndex
{
    private static readonly IReadOnlySet<string> None = new HashSet<string>();
    private readonly Dictionary<string, HashSet<string>> _usersByClone = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _clonesByUser = new(StringComparer.Ordinal);

    public UsageIndex(IEnumerable<CloneUse> uses)
    {
        foreach (var use in uses)
        {
            if (!_usersByClone.TryGetValue(use.CloneId, out var users)) _usersByClone[use.CloneId] = users = new HashSet<string>(StringComparer.Ordinal);
            if (!users.Add(use.UserId)) continue;
            if (!_clonesByUser.TryGetValue(use.UserId, out var clones)) _clonesByUser[use.UserId] = clones = [];
            clones.Add(use.CloneId);
        }
    }

    public static UsageIndex Empty { get; } = new([]);

    public IReadOnlySet<string> UsersOf(string cloneId) => _usersByClone.TryGetValue(cloneId, out var users) ? users : None;

    /// <summary>How many distinct users used the clone, <paramref name="exceptUser"/> not counted.</summary>
    public int DistinctUsers(string cloneId, string? exceptUser = null)
    {
        var users = UsersOf(cloneId);
        return users.Count - (exceptUser is not null && users.Contains(exceptUser) ? 1 : 0);
    }

    /// <summary>For each other clone: how many users (<paramref name="exceptUser"/> not counted) used both it and <paramref name="cloneId"/>.</summary>
    public Dictionary<string, int> CoUsers(string cloneId, string? exceptUser = null)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var user in UsersOf(cloneId))
        {
            if (user == exceptUser) continue;
            foreach (var other in _clonesByUser[user])
                if (other != cloneId) counts[other] = counts.GetValueOrDefault(other) + 1;
        }
        return counts;
    }
}
