using System.Security.Claims;
using System.Text;
using System.Text.Json;
using CloneAI.Core.Accounts;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Ports;
using CloneAI.Core.Users;
using CloneAI.Functions.Api.Clones;
using CloneAI.Functions.Api.Profile;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CloneAI.Functions.Tests;

/// <summary>
/// The function classes wired to the real Core services over mocked ports. The store mocks keep records in dictionaries
/// so a test can create, read and change clones through the API and still verify the calls made.
/// </summary>
internal sealed class ApiHarness
{
    public static readonly User Creator = new() { Id = "creator-1", Email = "creator@example.com", DisplayName = "Cora", IsCreator = true, EmailVerified = true, ETag = "1" };
    public static readonly User Reader = new() { Id = "reader-1", Email = "reader@example.com", DisplayName = "Reggie", EmailVerified = true, ETag = "1" };
    public static readonly User Boss = new() { Id = "admin-1", Email = "boss@example.com", DisplayName = "Boss", EmailVerified = true, ETag = "1" };

    public Dictionary<string, User> UserRecords { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, Clone> CloneRecords { get; } = new(StringComparer.Ordinal);
    public Mock<IUserStore> Users { get; } = new();
    public Mock<ICloneStore> Clones { get; } = new();
    public Mock<IBlobStore> Blobs { get; } = new();
    public AuthOptions Options { get; } = new() { Mode = "local", AdminEmails = ["boss@example.com"] };
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 3, 14, 9, 0, 0, TimeSpan.Zero));

    public UserService UserService { get; }
    public CloneService CloneService { get; }
    public RequestAuth Auth { get; }
    public ClonesApi ClonesApi { get; }
    public MeApi MeApi { get; }

    public ApiHarness()
    {
        foreach (var u in new[] { Creator, Reader, Boss }) UserRecords[u.Id] = u;
        Users.Setup(u => u.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => UserRecords.GetValueOrDefault(id));
        Users.Setup(u => u.CreateAsync(It.IsAny<User>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((User u, CancellationToken _) => UserRecords[u.Id] = u with { ETag = "1" });
        Users.Setup(u => u.ReplaceAsync(It.IsAny<User>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((User u, CancellationToken _) => UserRecords[u.Id] = u);

        Clones.Setup(s => s.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => CloneRecords.GetValueOrDefault(id));
        Clones.Setup(s => s.GetBySlugAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string slug, CancellationToken _) => CloneRecords.Values.FirstOrDefault(c => c.Slug == slug));
        Clones.Setup(s => s.CreateAsync(It.IsAny<Clone>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Clone c, CancellationToken _) =>
                CloneRecords.Values.Any(x => x.Slug == c.Slug) ? throw new ConflictException("slug taken") : CloneRecords[c.Id] = c with { ETag = "1" });
        Clones.Setup(s => s.ReplaceAsync(It.IsAny<Clone>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Clone c, string? _, CancellationToken _) => CloneRecords[c.Id] = c);
        Clones.Setup(s => s.SearchPublishedAsync(It.IsAny<MarketplaceQuery>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((MarketplaceQuery _, CancellationToken _) => new Page<Clone>(CloneRecords.Values.Where(c => c.Status == CloneStatus.Published).ToList(), null));
        Clones.Setup(s => s.ListByOwnerAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string owner, int _, string? _, CancellationToken _) => new Page<Clone>(CloneRecords.Values.Where(c => c.OwnerId == owner).ToList(), null));

        var options = Microsoft.Extensions.Options.Options.Create(Options);
        UserService = new UserService(Users.Object, Blobs.Object, options, Time, NullLogger<UserService>.Instance);
        CloneService = new CloneService(Clones.Object, Time, NullLogger<CloneService>.Instance);
        Auth = new RequestAuth(UserService, options);
        ClonesApi = new ClonesApi(Auth, CloneService, Blobs.Object, NullLogger<ClonesApi>.Instance);
        MeApi = new MeApi(Auth, UserService, CloneService, NullLogger<MeApi>.Instance);
    }

    public Clone SeedClone(string status = CloneStatus.Draft, string ownerId = "creator-1", string id = "clone-1")
    {
        var clone = new Clone
        {
            Id = id, Slug = "ada-" + id, OwnerId = ownerId, OwnerName = "Cora", Name = "Ada", Category = "science", Status = status,
            Description = "Mathematician.",
            Persona = new Persona { Greeting = "Hello!", Instructions = "Answer like Ada." },
            Pricing = new Pricing { PerMinute = 100, PerMessage = 5 },
            ETag = "1",
        };
        CloneRecords[clone.Id] = clone;
        return clone;
    }

    /// <summary>A request; <paramref name="body"/> is sent as it is when a string, or serialized as JSON otherwise.</summary>
    public static HttpRequest Request(string method = "GET", object? body = null, string? contentType = "application/json", string? query = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        if (query is not null) context.Request.QueryString = new QueryString(query);
        if (body is not null)
        {
            var bytes = body switch
            {
                byte[] b => b,
                string s => Encoding.UTF8.GetBytes(s),
                _ => JsonSerializer.SerializeToUtf8Bytes(body),
            };
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentType = contentType;
        }
        context.RequestServices = Services(AuthenticateResult.NoResult());
        return context.Request;
    }

    /// <summary>Makes the host's "Bearer" scheme accept the request as <paramref name="user"/>'s token.</summary>
    public static HttpRequest As(HttpRequest request, User user) => As(request, new Claim("sub", user.Id), new Claim("email", user.Email), new Claim("name", user.DisplayName));

    public static HttpRequest As(HttpRequest request, params Claim[] claims)
    {
        request.Headers.Authorization = "Bearer test-token";
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, "Bearer"));
        request.HttpContext.RequestServices = Services(AuthenticateResult.Success(new AuthenticationTicket(principal, RequestAuth.Scheme)));
        return request;
    }

    /// <summary>Sends a bearer token that the host's scheme rejects.</summary>
    public static HttpRequest WithRejectedToken(HttpRequest request)
    {
        request.Headers.Authorization = "Bearer expired-token";
        request.HttpContext.RequestServices = Services(AuthenticateResult.Fail("expired"));
        return request;
    }

    private static ServiceProvider Services(AuthenticateResult result)
    {
        var authentication = new Mock<IAuthenticationService>();
        authentication.Setup(a => a.AuthenticateAsync(It.IsAny<HttpContext>(), RequestAuth.Scheme)).ReturnsAsync(result);
        return new ServiceCollection().AddSingleton(authentication.Object).BuildServiceProvider();
    }
}

/// <summary>Assertions on what the functions return.</summary>
internal static class Results
{
    public static Problem Problem(IActionResult result, int status)
    {
        var objectResult = Assert.IsType<ObjectResult>(result);
        Assert.Equal(status, objectResult.StatusCode);
        Assert.Contains(Problems.ContentType, objectResult.ContentTypes);
        var problem = Assert.IsType<Problem>(objectResult.Value);
        Assert.Equal(status, problem.Status);
        Assert.StartsWith("https://cloneai.dev/problems/", problem.Type, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
        return problem;
    }

    /// <summary>A 400 whose errors map has exactly <paramref name="fields"/>.</summary>
    public static IReadOnlyDictionary<string, string[]> ValidationErrors(IActionResult result, params string[] fields)
    {
        var errors = Problem(result, 400).Errors;
        Assert.NotNull(errors);
        Assert.Equal(fields.Order(StringComparer.Ordinal), errors.Keys.Order(StringComparer.Ordinal));
        return errors;
    }

    public static T Ok<T>(IActionResult result)
    {
        var ok = Assert.IsType<OkObjectResult>(result);
        return Assert.IsAssignableFrom<T>(ok.Value);
    }

    /// <summary>The JSON the host would write for an anonymous-type body.</summary>
    public static JsonElement Json(IActionResult result) =>
        JsonSerializer.SerializeToElement(Assert.IsAssignableFrom<ObjectResult>(result).Value, JsonSerializerOptions.Web);
}
