using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using CloneAI.Core.Domain;
using CloneAI.Core.Knowledge;
using Microsoft.Extensions.Logging;

namespace CloneAI.Core.Recommendations;

/// <summary>
/// Each published clone's profile (name, tagline, description, category and tags) embedded with the configured embedding
/// model (<see cref="IKnowledgeEmbedder"/>), cached in memory per clone under a hash of its profile text: a clone whose profile
/// changes is embedded again on the next request, an unchanged one never. The cache is rebuilt after a restart (300 profiles
/// take about 10 seconds with the local model on 2 cores, see <c>bench/recommend</c>), a bounded number per request, and forgets
/// clones that left the catalogue.
/// </summary>
public sealed class CloneProfileVectors(IKnowledgeEmbedder embedder, ILogger<CloneProfileVectors> logger)
{
    /// <summary>How much of a description goes into a profile.</summary>
    public const int MaxDescription = 1000;

    private readonly ConcurrentDictionary<string, (string Fingerprint, float[] Vector)> _cache = new(StringComparer.Ordinal);
    private int _embedded;

    /// <summary>How many profiles were embedded since the process started (what the cache saves is the rest).</summary>
    public int Embedded => Volatile.Read(ref _embedded);

    public static string ProfileText(Clone clone)
    {
        var category = Categories.All.FirstOrDefault(c => c.Id == clone.Category)?.Name ?? clone.Category;
        var description = clone.Description.Length > MaxDescription ? clone.Description[..MaxDescription] : clone.Description;
        var text = new StringBuilder(clone.Name.Trim());
        if (!string.IsNullOrWhiteSpace(clone.Tagline)) text.Append(". ").Append(clone.Tagline.Trim());
        if (!string.IsNullOrWhiteSpace(description)) text.Append(". ").Append(description.Trim());
        text.Append(". Category: ").Append(category).Append('.');
        if (clone.Tags.Count > 0) text.Append(" Tags: ").Append(string.Join(", ", clone.Tags)).Append('.');
        return text.ToString();
    }

    /// <summary>
    /// The profile vectors of <paramref name="clones"/> (unit length), embedding only the new and changed ones, at most
    /// <paramref name="maxToEmbed"/> of them in this call (in the order given: the rest have no vector until a later call, so a
    /// big catalogue never holds one request up for minutes); null when the embedding model failed (the recommender then goes
    /// without its content part, and says so).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, float[]>?> GetAsync(
        IReadOnlyList<Clone> clones, int maxToEmbed = int.MaxValue, CancellationToken cancellationToken = default)
    {
        var wanted = clones.GroupBy(c => c.Id, StringComparer.Ordinal).Select(g => g.First())
            .Select(c => (c.Id, Text: ProfileText(c))).Select(x => (x.Id, x.Text, Fingerprint: Fingerprint(x.Text))).ToList();
        var missing = wanted.Where(x => !_cache.TryGetValue(x.Id, out var cached) || cached.Fingerprint != x.Fingerprint).Take(Math.Max(0, maxToEmbed)).ToList();
        if (missing.Count > 0)
        {
            try
            {
                var vectors = await embedder.EmbedPassagesAsync(missing.Select(m => m.Text).ToList(), cancellationToken);
                for (var i = 0; i < missing.Count; i++) _cache[missing[i].Id] = (missing[i].Fingerprint, vectors[i]);
                Interlocked.Add(ref _embedded, missing.Count);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Embedding {Count} clone profiles failed; recommendations go without their content part", missing.Count);
                return null;
            }
        }
        var ids = wanted.Select(w => w.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _cache.Keys.Where(k => !ids.Contains(k)).ToList()) _cache.TryRemove(gone, out _);
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var w in wanted)
            if (_cache.TryGetValue(w.Id, out var cached) && cached.Fingerprint == w.Fingerprint) result[w.Id] = cached.Vector;
        return result;
    }

    private static string Fingerprint(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0, 16);
}
