namespace CloneAI.Functions.Api.Profile;

/// <summary>A change of profile; absent fields stay as they are.</summary>
public sealed record UpdateProfileRequest(string? DisplayName, string? Bio, IReadOnlyList<string>? Expertise, string? Timezone);
