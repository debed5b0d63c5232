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

    private readonly AuthThrottleOptions _throttle = new();
    private readonly AccountEmailQueue _queue;

    public AuthApiTests()
    {
        _queue = new AccountEmailQueue(new CloneAI.Core.Tests.Accounts.InMemoryAccountEmailJobs(), _h.Users.Object, _accounts.Object,
            new AccountEmails(_email.Object, Options.Create(_h.Options)), Options.Create(_h.Options), _h.Time, NullLogger<AccountEmailQueue>.Instance);
        _accounts.Setup(a => a.BeginLoginAttemptAsync(It.IsAny<string>(), It.IsAny<SlowDownPolicy>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new LoginGate(true, TimeSpan.Zero));
    }

    private AccountService Accounts()
    {
        var throttle = Options.Create(_throttle);
        return new(_h.Users.Object, _accounts.Object, new AccountEmails(_email.Object, Options.Create(_h.Options)), _queue,
            new SignInGuard(_accounts.Object, new AuthThrottle(new CloneAI.Core.Tests.Limits.MemoryRateWindowStore(), throttle, _h.Time), throttle, _h.Time), _issuer.Object,
            Options.Create(_h.Options), _h.Time, NullLogger<AccountService>.Instance);
    }

    private AuthApi Api(AccountService? accounts) => new(Options.Create(_h.Options), Options.Create(_throttle), NullLogger<AuthApi>.Instance, accounts);

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
    public async Task SigningUpInLocalModeIsA202AndTheVerificationEmailFollows()
    {
        _h.Users.Setup(u => u.FindByEmailAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync((User?)null);

        var result = await Api(Accounts()).SignUp(Request("POST", new { email = "New@Example.com", password = "long enough pw", displayName = "New", acceptTerms = true }), _ct);

        var accepted = Assert.IsType<ObjectResult>(result);
        Assert.Equal(202, accepted.StatusCode);
        Assert.Equal("new@example.com", Results.Json(result).GetProperty("email").GetString());
        await _queue.RunPendingAsync();
        _email.Verify(e => e.SendAsync(It.Is<EmailMessage>(m => m.TextBody.Contains("/verify?token=")), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task SigningUpWithAnAddressThatHasAnAccountAnswersExactlyLikeANewOne()
    {
        _h.Users.Setup(u => u.FindByEmailAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync((User?)null);
        var fresh = await Api(Accounts()).SignUp(Request("POST", new { email = "reader@example.com", password = "long enough pw", displayName = "New", acceptTerms = true }), _ct);
        _h.Users.Setup(u => u.FindByEmailAsync("reader@example.com", It.IsAny<CancellationToken>())).ReturnsAsync(Reader);

        var existing = await Api(Accounts()).SignUp(Request("POST", new { email = "reader@example.com", password = "long enough pw", displayName = "New", acceptTerms = true }), _ct);

        Assert.Equal(((ObjectResult)fresh).StatusCode, ((ObjectResult)existing).StatusCode);
        Assert.Equal(Results.Json(fresh).GetRawText(), Results.Json(existing).GetRawText());
    }

    [Fact]
    public async Task SigningUpWithoutAcceptingTheTermsIsA400OnAcceptTerms()
    {
        var result = await Api(Accounts()).SignUp(Request("POST", new { email = "new@example.com", password = "long enough pw", displayName = "New" }), _ct);

        Results.ValidationErrors(result, "acceptTerms");
    }

    [Fact]
    public async Task SigningUpWithABadEmailAndShortPasswordIsA400PerField()
    {
        var result = await Api(Accounts()).SignUp(Request("POST", new { email = "nope", password = "short", displayName = "New", acceptTerms = true }), _ct);

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
    public async Task SigningInWhileSlowedDownIsA429WithRetryAfterAndNoPasswordCheck()
    {
        _accounts.Setup(a => a.BeginLoginAttemptAsync(It.IsAny<string>(), It.IsAny<SlowDownPolicy>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new LoginGate(false, TimeSpan.FromSeconds(8)));
        var request = Request("POST", new { email = "reader@example.com", password = "anything at all" });

        var result = await Api(Accounts()).Login(request, _ct);

        var problem = Assert.IsType<Problem>(Assert.IsAssignableFrom<ObjectResult>(result).Value);
        Assert.Equal((429, 8), (problem.Status, problem.RetryAfterSeconds));
        Assert.Equal(SignInGuard.RefusedMessage, problem.Detail);
        _accounts.Verify(a => a.GetCredentialAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
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
