using CloneAI.Core.Accounts;
using CloneAI.Core.Auth;
using CloneAI.Core.Errors;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloneAI.Functions.Api.Auth;

/// <summary>Built-in accounts. Only the local host has them; with Entra every route here is a 404.</summary>
public sealed class AuthApi(IOptions<AuthOptions> options, ILogger<AuthApi> logger, AccountService? accounts = null)
{
    [Function(nameof(SignUp))]
    [ApiDoc("Create an account and send a verification email", Tag = "Auth", Body = "{email, password, displayName}", Returns = "201 User")]
    public Task<IActionResult> SignUp(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/signup")] HttpRequest req, CancellationToken cancellationToken) =>
        Run(async service =>
        {
            var body = await RequestBody.ReadJsonAsync(req, cancellationToken);
            var (email, password, name) = (body.String("email"), body.String("password"), body.String("displayName"));
            body.ThrowIfInvalid();
            var user = await service.SignUpAsync(email, password, name, cancellationToken);
            return new ObjectResult(new { user.Id, user.Email, user.DisplayName, user.EmailVerified }) { StatusCode = 201 };
        });

    [Function(nameof(VerifyEmail))]
    [ApiDoc("Confirm an email address with the token from the verification email", Tag = "Auth", Body = "{token}")]
    public Task<IActionResult> VerifyEmail(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/verify")] HttpRequest req, CancellationToken cancellationToken) =>
        Run(async service =>
        {
            var body = await RequestBody.ReadJsonAsync(req, cancellationToken);
            var token = body.String("token");
            body.ThrowIfInvalid();
            var user = await service.VerifyEmailAsync(token, cancellationToken);
            return new OkObjectResult(new { verified = true, user.Email });
        });

    [Function(nameof(ResendVerification))]
    [ApiDoc("Send the verification email again", Tag = "Auth", Body = "{email}", Returns = "202")]
    public Task<IActionResult> ResendVerification(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/verify/resend")] HttpRequest req, CancellationToken cancellationToken) =>
        Run(async service =>
        {
            var body = await RequestBody.ReadJsonAsync(req, cancellationToken);
            var email = body.String("email");
            body.ThrowIfInvalid();
            await service.ResendVerificationAsync(email, cancellationToken);
            return new AcceptedResult();
        });

    [Function(nameof(Login))]
    [ApiDoc("Sign in; returns an access token and a rotating refresh token", Tag = "Auth", Body = "{email, password}", Returns = "{accessToken, refreshToken, expiresIn}")]
    public Task<IActionResult> Login(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/login")] HttpRequest req, CancellationToken cancellationToken) =>
        Run(async service =>
        {
            var body = await RequestBody.ReadJsonAsync(req, cancellationToken);
            var (email, password) = (body.String("email"), body.String("password"));
            body.ThrowIfInvalid();
            return new OkObjectResult(await service.LoginAsync(email, password, cancellationToken));
        });

    [Function(nameof(Refresh))]
    [ApiDoc("Trade a refresh token for a new pair; the old one is spent", Tag = "Auth", Body = "{refreshToken}", Returns = "{accessToken, refreshToken, expiresIn}")]
    public Task<IActionResult> Refresh(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/refresh")] HttpRequest req, CancellationToken cancellationToken) =>
        Run(async service =>
        {
            var body = await RequestBody.ReadJsonAsync(req, cancellationToken);
            var token = body.String("refreshToken");
            body.ThrowIfInvalid();
            return new OkObjectResult(await service.RefreshAsync(token, cancellationToken));
        });

    [Function(nameof(Logout))]
    [ApiDoc("Revoke the refresh token and every token rotated from the same login", Tag = "Auth", Body = "{refreshToken}", Returns = "204")]
    public Task<IActionResult> Logout(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/logout")] HttpRequest req, CancellationToken cancellationToken) =>
        Run(async service =>
        {
            var body = await RequestBody.ReadJsonAsync(req, cancellationToken);
            var token = body.String("refreshToken");
            body.ThrowIfInvalid();
            await service.LogoutAsync(token, cancellationToken);
            return new NoContentResult();
        });

    [Function(nameof(ForgotPassword))]
    [ApiDoc("Email a single-use password reset link (always 202)", Tag = "Auth", Body = "{email}", Returns = "202")]
    public Task<IActionResult> ForgotPassword(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/password/forgot")] HttpRequest req, CancellationToken cancellationToken) =>
        Run(async service =>
        {
            var body = await RequestBody.ReadJsonAsync(req, cancellationToken);
            var email = body.String("email");
            body.ThrowIfInvalid();
            await service.ForgotPasswordAsync(email, cancellationToken);
            return new AcceptedResult();
        });

    [Function(nameof(ResetPassword))]
    [ApiDoc("Set a new password with the token from the reset email", Tag = "Auth", Body = "{token, password}", Returns = "204")]
    public Task<IActionResult> ResetPassword(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/password/reset")] HttpRequest req, CancellationToken cancellationToken) =>
        Run(async service =>
        {
            var body = await RequestBody.ReadJsonAsync(req, cancellationToken);
            var (token, password) = (body.String("token"), body.String("password"));
            body.ThrowIfInvalid();
            await service.ResetPasswordAsync(token, password, cancellationToken);
            return new NoContentResult();
        });

    private Task<IActionResult> Run(Func<AccountService, Task<IActionResult>> body) =>
        Respond.Run(logger, () => accounts is not null && options.Value.IsLocal
            ? body(accounts)
            : throw new NotFoundException("Built-in accounts are off: this deployment signs in with Microsoft Entra."));
}
