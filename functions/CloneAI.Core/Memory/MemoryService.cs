using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Memory;

/// <summary>
/// A user's own memory and per-clone settings: list, add, edit and delete items, and turn memory on or off and override the
/// communication style for one clone. Every call works on the caller's own items only: no one, creators and admins included,
/// reads another user's memory.
/// </summary>
public sealed class MemoryService(
    IMemoryStore store, IClonePreferenceStore preferences, CloneService clones, IOptions<MemoryOptions> options, TimeProvider time)
{
    public const int MaxId = 100;

    /// <summary>The caller's items, oldest first: with <paramref name="cloneId"/>, that clone's and the shared ones.</summary>
    public async Task<IReadOnlyList<MemoryItem>> ListAsync(Caller caller, string? cloneId, CancellationToken cancellationToken = default)
    {
        if (cloneId is not null && (cloneId.Length == 0 || cloneId.Length > MaxId)) throw new ValidationException("cloneId", $"Use a clone id of 1 to {MaxId} characters.");
        return await store.ListAsync(caller.UserId, cloneId, cancellationToken);
    }

    /// <summary>
    /// An item the user writes themselves: for one clone (which they can open), or shared (no clone). An item with the same
    /// words in the same scope is already remembered: that one is returned (Created false) rather than a second copy.
    /// </summary>
    public async Task<(MemoryItem Item, bool Created)> AddAsync(Caller caller, string? kind, string? text, string? cloneId, CancellationToken cancellationToken = default)
    {
        var v = new Validator();
        ValidateKind(v, kind, required: true);
        v.Require("text", text, MemoryItem.MaxText);
        if (cloneId is not null && (cloneId.Trim().Length == 0 || cloneId.Length > MaxId)) v.Add("cloneId", $"Use a clone id of 1 to {MaxId} characters, or leave it out for a shared item.");
        v.ThrowIfInvalid();
        var clean = MemoryText.Clean(text);
        if (clean.Length == 0) throw new ValidationException("text", "Write what to remember.");
        string? scope = null;
        if (cloneId is not null) scope = (await clones.GetAsync(caller, cloneId.Trim(), cancellationToken)).Id;
        var existing = await store.ListAsync(caller.UserId, null, cancellationToken);
        var normalized = MemoryText.Normalize(clean);
        var same = existing.FirstOrDefault(i => i.CloneId == scope && MemoryText.Normalize(i.Text) == normalized);
        if (same is not null) return (same, false);
        if (existing.Count >= options.Value.MaxItems)
            throw new ConflictException($"You have {options.Value.MaxItems} memory items, the most there may be. Delete some first.");
        var now = time.GetUtcNow();
        return (await store.UpsertAsync(new MemoryItem
        {
            Id = Guid.NewGuid().ToString("N"), UserId = caller.UserId, CloneId = scope, Kind = kind!, Text = clean, CreatedAt = now, UpdatedAt = now,
        }, cancellationToken), true);
    }

    /// <summary>Changes an item's text or kind (absent fields stay).</summary>
    public async Task<MemoryItem> UpdateAsync(Caller caller, string id, string? text, string? kind, CancellationToken cancellationToken = default)
    {
        var v = new Validator();
        ValidateKind(v, kind, required: false);
        if (text is not null) v.Require("text", text, MemoryItem.MaxText);
        if (text is null && kind is null) v.Add("text", "Send a new text or kind.");
        v.ThrowIfInvalid();
        var item = await GetOwnAsync(caller, id, cancellationToken);
        var clean = text is null ? item.Text : MemoryText.Clean(text);
        if (clean.Length == 0) throw new ValidationException("text", "Write what to remember.");
        return await store.UpsertAsync(item with { Text = clean, Kind = kind ?? item.Kind, UpdatedAt = time.GetUtcNow() }, cancellationToken);
    }

    public async Task DeleteAsync(Caller caller, string id, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxId || !await store.DeleteAsync(caller.UserId, id, cancellationToken))
            throw new NotFoundException("No such memory item.");
    }

    /// <summary>The caller's settings for a clone they can open (memory on and no style override when never set).</summary>
    public async Task<ClonePreferences> GetSettingsAsync(Caller caller, string cloneId, CancellationToken cancellationToken = default)
    {
        var clone = await clones.GetAsync(caller, cloneId, cancellationToken);
        return await preferences.GetAsync(caller.UserId, clone.Id, cancellationToken)
            ?? new ClonePreferences { UserId = caller.UserId, CloneId = clone.Id };
    }

    /// <summary>Replaces the caller's settings for a clone: memory on or off, and a style override (null: the profile's).</summary>
    public async Task<ClonePreferences> PutSettingsAsync(Caller caller, string cloneId, bool? memoryEnabled, CommunicationStyle? style, CancellationToken cancellationToken = default)
    {
        var v = new Validator();
        if (memoryEnabled is null) v.Add("memoryEnabled", "Say whether the clone may remember you (true or false).");
        if (style?.Length is { } length && !CommunicationStyle.Lengths.Contains(length))
            v.Add("style.length", $"Use one of: {string.Join(", ", CommunicationStyle.Lengths)}, or null.");
        if (style?.Tone is { } tone && !CommunicationStyle.Tones.Contains(tone))
            v.Add("style.tone", $"Use one of: {string.Join(", ", CommunicationStyle.Tones)}, or null.");
        v.ThrowIfInvalid();
        var clone = await clones.GetAsync(caller, cloneId, cancellationToken);
        var kept = style is null || (style.Length is null && style.Tone is null) ? null : style;
        return await preferences.UpsertAsync(new ClonePreferences
        {
            UserId = caller.UserId, CloneId = clone.Id, MemoryEnabled = memoryEnabled!.Value, Style = kept, UpdatedAt = time.GetUtcNow(),
        }, cancellationToken);
    }

    private async Task<MemoryItem> GetOwnAsync(Caller caller, string id, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(id) || id.Length > MaxId
            ? throw new NotFoundException("No such memory item.")
            : await store.GetAsync(caller.UserId, id, cancellationToken) ?? throw new NotFoundException("No such memory item.");

    private static void ValidateKind(Validator v, string? kind, bool required)
    {
        if (kind is null)
        {
            if (required) v.Add("kind", $"Use one of: {string.Join(", ", MemoryKinds.All)}.");
        }
        else if (!MemoryKinds.All.Contains(kind)) v.Add("kind", $"Use one of: {string.Join(", ", MemoryKinds.All)}.");
    }
}
