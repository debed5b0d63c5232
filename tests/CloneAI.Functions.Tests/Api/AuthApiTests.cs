using System.Reflection;
using CloneAI.Core.Accounts;
using CloneAI.Core.Domain;
using CloneAI.Core.Email;
using CloneAI.Functions.Api.Auth;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static CloneAI.Functions.Tests.ApiHarness;

namespace CloneAI.Functions.Tests.Api;

public sealed class AuthApiTests
{
    private readonly ApiHarness _h = new();
    private readonly Mock<IAccountStore> _accounts = new();
    private readonly Mock<IEmailSender> _email = new();
    private readonly Mock<IAccessTokenIssuer> _issuer = new();
    private readonly CancellationToken _ct = CancellationToken.None;

    private AccountService Accounts() => new(_h.Users.Object, _accounts.Object, _email.Object, _issuer.Object,
        Options.Create(_h.Options), _h.Time, NullLogger<AccountService>.Instance);

    private AuthApi Api(AccountService? accounts) => new(Options.Create(_h.Options), NullLogger<AuthApi>.Instance, accounts);

    public static TheoryData<string> AuthFunctions =>
        [.. RouteCatalog.Discover().Where(f => f.Class == typeof(AuthApi)).Select(f => f.Name)];

    private static Task<IActionResult> Invoke(AuthApi api, string function, HttpRequest request) =>
        (Task<IActionResult>)typeof(AuthApi).GetMethod(function, BindingFlags.Public | BindingFlags.Instance)!.Invoke(api, [request, CancellationToken.None])!;

    [Theory]
    [MemberData(nameof(AuthFunctions))]
    public async Task EveryAuthRouteIsA404ProblemInEntraMode(string function)
    {
        _h.Options.Mode = "entra";

        var result = await Invoke(Api(Accounts()), function, Request("POST", new { email = "a@example.com", password = "whatever123", refreshToken = "x", token = "y" }));

        Assert.Contains("Entra", Results.Problem(result, 404).Detail, StringComparison.Ordinal);
        _email.VerifyNoOtherCalls();
        _accounts.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task TheAuthRoutesAreA404WhenTheHostRegisteredNoAccountService()
    {
        Results.Problem(await Api(null).Login(Request("POST", new { email = "a@example.com", password = "x" }), _ct), 404);
    }

    [Fact]
    public async Task SigningUpInLocalModeIsA201WithTheUnverifiedUser()
    {
        _h.Users.Setup(u => u.FindByEmailAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync((User?)null);

        var result = await Api(Accounts()).SignUp(Request("POST", new { email = "New@Example.com", password = "long enough pw", displayName = "New" }), _ct);

        var created = Assert.IsType<ObjectResult>(result);
        Assert.Equal(201, created.StatusCode);
        var json = Results.Json(result);
        Assert.Equal("new@example.com", json.GetProperty("email").GetString());
        Assert.False(json.GetProperty("emailVerified").GetBoolean());
        _email.Verify(e => e.SendAsync(It.Is<EmailMessage>(m => m.TextBody.Contains("/verify?token=")), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task SigningUpWithABadEmailAndShortPasswordIsA400PerField()
    {
        var result = await Api(Accounts()).SignUp(Request("POST", new { email = "nope", password = "short", displayName = "New" }), _ct);

        Results.ValidationErrors(result, "email", "password");
    }

    [Fact]
    public async Task SigningInWithAWrongPasswordIsA401Problem()
    {
        _h.Users.Setup(u => u.FindByEmailAsync("reader@example.com", It.IsAny<CancellationToken>())).ReturnsAsync(Reader);
        _accounts.Setup(a => a.GetCredentialAsync(Reader.Id, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Credential { UserId = Reader.Id, PasswordHash = new Microsoft.AspNetCore.Identity.PasswordHasher<string>().HashPassword("x", "the right password") });

        var result = await Api(Accounts()).Login(Request("POST", new { email = "reader@example.com", password = "the wrong password" }), _ct);

        Results.Problem(result, 401);
    }

    [Fact]
    public async Task SigningInToALockedAccountIsA423Problem()
    {
        _h.Users.Setup(u => u.FindByEmailAsync("reader@example.com", It.IsAny<CancellationToken>())).ReturnsAsync(Reader);
        _accounts.Setup(a => a.GetCredentialAsync(Reader.Id, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Credential { UserId = Reader.Id, PasswordHash = "irrelevant", LockedUntil = _h.Time.GetUtcNow().AddMinutes(5) });

        var problem = Results.Problem(await Api(Accounts()).Login(Request("POST", new { email = "reader@example.com", password = "anything at all" }), _ct), 423);

        Assert.Equal("https://cloneai.dev/problems/locked", problem.Type);
    }

    [Fact]
    public async Task ForgettingThePasswordOfAnUnknownEmailIsStillA202()
    {
        Assert.IsType<AcceptedResult>(await Api(Accounts()).ForgotPassword(Request("POST", new { email = "nobody@example.com" }), _ct));

        _email.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ARefreshTokenSentAsANumberIsA400OnRefreshToken()
    {
        Results.ValidationErrors(await Api(Accounts()).Refresh(Request("POST", new { refreshToken = 42 }), _ct), "refreshToken");
    }
}
