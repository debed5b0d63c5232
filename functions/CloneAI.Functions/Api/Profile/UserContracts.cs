using CloneAI.Core.Domain;

namespace CloneAI.Functions.Api.Profile;

public sealed record UserDto(
    string Id, string Email, string DisplayName, string Bio, IReadOnlyList<string> Expertise, string Timezone,
    IReadOnlyList<string> Roles, bool IsCreator, bool IsAdmin, bool EmailVerified, string? AvatarUrl, DateTimeOffset CreatedAt,
    [property: System.ComponentModel.Description("How the user likes to be answered (null: no preference); a clone's own setting overrides it.")] ProfileStyleDto? Style = null,
    [property: System.ComponentModel.Description("The version of the terms and privacy notice accepted at sign-up (null: before terms existed).")] string? TermsVersion = null,
    [property: System.ComponentModel.Description("When the terms were accepted.")] DateTimeOffset? TermsAcceptedAt = null)
{
    public static UserDto From(User user, Caller caller) => new(
        user.Id, user.Email, user.DisplayName, user.Bio, user.Expertise, user.Timezone, caller.Roles,
        user.IsCreator || caller.IsAdmin, caller.IsAdmin, user.EmailVerified,
        user.AvatarBlob is null ? null : $"/api/users/{user.Id}/avatar?v={user.UpdatedAt.ToUnixTimeSeconds()}", user.CreatedAt, ProfileStyleDto.From(user.Style),
        user.TermsVersion, user.TermsAcceptedAt);
}
