using System.ComponentModel;
using CloneAI.Core.Domain;

namespace CloneAI.Functions.Api.Profile;

/// <summary>A change of profile; absent fields stay as they are.</summary>
public sealed record UpdateProfileRequest(
    string? DisplayName, string? Bio, IReadOnlyList<string>? Expertise, string? Timezone,
    [Description("How answers should be: length concise|detailed|null, tone casual|formal|null (null: no preference). Replaces the stored style when given.")]
    CommunicationStyle? Style = null);
