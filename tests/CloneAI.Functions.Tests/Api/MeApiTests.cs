using System.Text;
using CloneAI.Core.Domain;
using CloneAI.Core.Images;
using CloneAI.Functions.Api.Clones;
using CloneAI.Functions.Api.Profile;
using static CloneAI.Functions.Tests.ApiHarness;

namespace CloneAI.Functions.Tests.Api;

public sealed class MeApiTests
{
    private readonly ApiHarness _h = new();
    private readonly CancellationToken _ct = CancellationToken.None;

    [Fact]
    public async Task AskingWhoIAmWithoutATokenIsA401Problem()
    {
        Results.Problem(await _h.MeApi.GetMe(Request(), _ct), 401);
    }

    [Fact]
    public async Task TheSignedInUserSeesTheirProfileAndRoles()
    {
        var me = Results.Ok<UserDto>(await _h.MeApi.GetMe(As(Request(), Creator), _ct));

        Assert.Equal((Creator.Id, Creator.Email), (me.Id, me.Email));
        Assert.Equal([Roles.User, Roles.Creator], me.Roles);
        Assert.False(me.IsAdmin);
    }

    [Fact]
    public async Task AConfiguredAdminEmailGetsTheAdminRole()
    {
        var me = Results.Ok<UserDto>(await _h.MeApi.GetMe(As(Request(), Boss), _ct));

        Assert.True(me.IsAdmin);
        Assert.True(me.IsCreator);
        Assert.Contains(Roles.Admin, me.Roles);
    }

    [Fact]
    public async Task ALocalTokenForADeletedAccountIsA401()
    {
        var ghost = Reader with { Id = "ghost" };

        Results.Problem(await _h.MeApi.GetMe(As(Request(), ghost), _ct), 401);
        _h.Users.Verify(u => u.CreateAsync(It.IsAny<User>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task AnEntraUsersFirstCallProvisionsTheirAccountFromTheObjectIdClaim()
    {
        _h.Options.Mode = "entra";
        var request = As(Request(),
            new System.Security.Claims.Claim("oid", "entra-oid-1"),
            new System.Security.Claims.Claim("preferred_username", "New.User@Contoso.com"),
            new System.Security.Claims.Claim("name", "New User"));

        var me = Results.Ok<UserDto>(await _h.MeApi.GetMe(request, _ct));

        Assert.Equal(("entra-oid-1", "new.user@contoso.com", "New User"), (me.Id, me.Email, me.DisplayName));
        Assert.True(_h.UserRecords.ContainsKey("entra-oid-1"));
    }

    [Fact]
    public async Task AnEntraTokenWithTheAdminAppRoleIsAnAdminAndOneWithOnlyAnAdminEmailIsNot()
    {
        _h.Options.Mode = "entra";
        var byEmail = As(Request(), new System.Security.Claims.Claim("oid", Boss.Id), new System.Security.Claims.Claim("email", Boss.Email));
        var byRole = As(Request(), new System.Security.Claims.Claim("oid", Reader.Id), new System.Security.Claims.Claim("roles", "Admin"));

        Assert.False(Results.Ok<UserDto>(await _h.MeApi.GetMe(byEmail, _ct)).IsAdmin);
        Assert.True(Results.Ok<UserDto>(await _h.MeApi.GetMe(byRole, _ct)).IsAdmin);
    }

    [Fact]
    public async Task ALocalTokenIssuedBeforeTheSecurityStampChangedIsA401()
    {
        _h.UserRecords[Reader.Id] = Reader with { SecurityStamp = "after-logout" };

        Results.Problem(await _h.MeApi.GetMe(As(Request(), new System.Security.Claims.Claim("sub", Reader.Id), new System.Security.Claims.Claim("stamp", "before")), _ct), 401);
        Results.Ok<UserDto>(await _h.MeApi.GetMe(As(Request(), new System.Security.Claims.Claim("sub", Reader.Id), new System.Security.Claims.Claim("stamp", "after-logout")), _ct));
    }

    [Fact]
    public async Task EveryRequestOfADisabledAccountIsA403()
    {
        _h.UserRecords[Reader.Id] = Reader with { DisabledAt = _h.Time.GetUtcNow() };

        Assert.Contains("disabled", Results.Problem(await _h.MeApi.GetMe(As(Request(), Reader), _ct), 403).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdatingTheProfileWithAnUnknownTimezoneIsA400OnTimezone()
    {
        var result = await _h.MeApi.UpdateMe(As(Request("PATCH", new { timezone = "Moon/Tranquility" }), Reader), _ct);

        Results.ValidationErrors(result, "timezone");
        _h.Users.Verify(u => u.ReplaceAsync(It.IsAny<User>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task UpdatingTheProfileWithWrongTypesNamesEachField()
    {
        var result = await _h.MeApi.UpdateMe(As(Request("PATCH", new { displayName = 1, expertise = "math" }), Reader), _ct);

        Results.ValidationErrors(result, "displayName", "expertise");
    }

    [Fact]
    public async Task UpdatingTheProfileChangesTheGivenFields()
    {
        var me = Results.Ok<UserDto>(await _h.MeApi.UpdateMe(As(Request("PATCH", new { bio = "Reads a lot.", expertise = new[] { "Books" } }), Reader), _ct));

        Assert.Equal(("Reads a lot.", "Reggie"), (me.Bio, me.DisplayName));
        Assert.Equal(["Books"], me.Expertise);
    }

    [Fact]
    public async Task BecomingACreatorReturnsTheNewRoleAtOnce()
    {
        var me = Results.Ok<UserDto>(await _h.MeApi.BecomeCreator(As(Request("POST"), Reader), _ct));

        Assert.True(me.IsCreator);
        Assert.Equal([Roles.User, Roles.Creator], me.Roles);
        Assert.True(_h.UserRecords[Reader.Id].IsCreator);
    }

    [Fact]
    public async Task AnAvatarUploadedAsMultipartIsStored()
    {
        const string boundary = "----cloneai-test";
        var image = ClonesApiTests.TestImage();
        using var body = new MemoryStream();
        body.Write(Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../../me.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"));
        body.Write(image);
        body.Write(Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n"));
        var request = As(Request("PUT", body.ToArray(), $"multipart/form-data; boundary={boundary}"), Reader);

        var me = Results.Ok<UserDto>(await _h.MeApi.PutAvatar(request, _ct));

        Assert.NotNull(me.AvatarUrl);
        _h.Blobs.Verify(b => b.PutAsync($"avatars/users/{Reader.Id}.png", It.IsAny<byte[]>(), "image/png", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task AMultipartUploadWithoutAFileFieldIsA400OnFile()
    {
        const string boundary = "b";
        var body = $"--{boundary}\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nhello\r\n--{boundary}--\r\n";
        var request = As(Request("PUT", body, $"multipart/form-data; boundary={boundary}"), Reader);

        Results.ValidationErrors(await _h.MeApi.PutAvatar(request, _ct), "file");
    }

    [Fact]
    public async Task AnAvatarLargerThanTwoMegabytesIsA413()
    {
        var request = As(Request("PUT", new byte[ImageValidator.MaxBytes + 1], "image/png"), Reader);

        Results.Problem(await _h.MeApi.PutAvatar(request, _ct), 413);
        _h.Blobs.Verify(b => b.PutAsync(It.IsAny<string>(), It.IsAny<byte[]>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ListingMyClonesWithANonNumericPageSizeIsA400()
    {
        Results.ValidationErrors(await _h.MeApi.ListMyClones(As(Request(query: "?pageSize=abc"), Creator), _ct), "pageSize");
    }

    [Fact]
    public async Task ListingMyClonesIncludesDrafts()
    {
        _h.SeedClone(CloneStatus.Draft);

        var page = Results.Ok<ClonePage>(await _h.MeApi.ListMyClones(As(Request(), Creator), _ct));

        Assert.Equal(CloneStatus.Draft, Assert.Single(page.Items).Status);
    }

    [Fact]
    public async Task AUserWithoutAnAvatarHasNone()
    {
        Results.Problem(await _h.MeApi.GetUserAvatar(Request(), Reader.Id, _ct), 404);
    }
}
