using System.Net;
using System.Text.Json;
using Azure.Core;
using CloneAI.Azure.Email;
using CloneAI.Core.Email;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CloneAI.Azure.Tests.Email;

/// <summary>The hand-written Communication Services Email client against its contract: URL, api-version, Entra token, body, retries.</summary>
public sealed class AcsEmailSenderTests
{
    private sealed class Recorder : HttpMessageHandler
    {
        public List<(HttpRequestMessage Request, string Body)> Requests { get; } = [];
        public Queue<Func<HttpResponseMessage>> Answers { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add((request, await request.Content!.ReadAsStringAsync(cancellationToken)));
            return Answers.Count > 0 ? Answers.Dequeue()() : new HttpResponseMessage(HttpStatusCode.Accepted) { Content = new StringContent("{\"id\":\"x\",\"status\":\"Running\"}") };
        }
    }

    private sealed class FixedCredential : TokenCredential
    {
        public List<string[]> Scopes { get; } = [];
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();
        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.Add(requestContext.Scopes);
            return ValueTask.FromResult(new AccessToken("entra-token", DateTimeOffset.UtcNow.AddHours(1)));
        }
    }

    private static readonly AcsEmailOptions Configured = new()
    {
        Endpoint = new Uri("https://acs-test.unitedstates.communication.azure.com"),
        Sender = "DoNotReply@0000-test.azurecomm.net",
    };

    private static (AcsEmailSender Sender, Recorder Http, FixedCredential Credential) Create(AcsEmailOptions? options = null)
    {
        var http = new Recorder();
        var credential = new FixedCredential();
        return (new AcsEmailSender(new HttpClient(http), Options.Create(options ?? Configured), credential, TimeProvider.System), http, credential);
    }

    private static readonly EmailMessage Receipt = new("ada@example.com", "Your session with Ada: 3.00 USD", "Hello Ada", "<p>Hello Ada</p>") { Key = "receipt:s-1" };

    [Fact]
    public async Task AMessageIsPostedToEmailsSendWithAnEntraTokenAndTheSenderRecipientAndBothBodies()
    {
        var (sender, http, credential) = Create();

        await sender.SendAsync(Receipt);

        var (request, body) = Assert.Single(http.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://acs-test.unitedstates.communication.azure.com/emails:send?api-version=2023-03-31", request.RequestUri!.ToString());
        Assert.Equal("Bearer entra-token", request.Headers.Authorization!.ToString());
        Assert.Equal([AcsEmailSender.EntraScope], Assert.Single(credential.Scopes));
        Assert.Equal(AcsEmailSender.OperationId("receipt:s-1"), Assert.Single(request.Headers.GetValues("Operation-Id")));
        Assert.Equal("application/json", request.Content!.Headers.ContentType!.MediaType);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal("DoNotReply@0000-test.azurecomm.net", root.GetProperty("senderAddress").GetString());
        Assert.Equal("Your session with Ada: 3.00 USD", root.GetProperty("content").GetProperty("subject").GetString());
        Assert.Equal("Hello Ada", root.GetProperty("content").GetProperty("plainText").GetString());
        Assert.Equal("<p>Hello Ada</p>", root.GetProperty("content").GetProperty("html").GetString());
        Assert.Equal("ada@example.com", root.GetProperty("recipients").GetProperty("to")[0].GetProperty("address").GetString());
    }

    [Fact]
    public async Task AThrottledSendIsRetriedAfterRetryAfterAsTheSameOperation()
    {
        var (sender, http, _) = Create();
        http.Answers.Enqueue(() => new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Headers = { RetryAfter = new(TimeSpan.Zero) } });
        http.Answers.Enqueue(() => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));

        await sender.SendAsync(Receipt);

        Assert.Equal(3, http.Requests.Count);
        Assert.Single(http.Requests.Select(r => r.Request.Headers.GetValues("Operation-Id").Single()).Distinct());
        Assert.Single(http.Requests.Select(r => r.Body).Distinct());
    }

    [Fact]
    public async Task ARefusalIsNotRetriedAndSaysWhy()
    {
        var (sender, http, _) = Create();
        http.Answers.Enqueue(() => new HttpResponseMessage(HttpStatusCode.BadRequest)
        {
            Content = new StringContent("{\"error\":{\"code\":\"InvalidSenderUserName\",\"message\":\"Sender is not linked\"}}"),
        });

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => sender.SendAsync(Receipt));

        Assert.Single(http.Requests);
        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Contains("InvalidSenderUserName", e.Message);
    }

    [Fact]
    public async Task ThrottlingBeyondTheAttemptsFails()
    {
        var (sender, http, _) = Create(new AcsEmailOptions { Endpoint = Configured.Endpoint, Sender = Configured.Sender, MaxAttempts = 2 });
        for (var i = 0; i < 5; i++) http.Answers.Enqueue(() => new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Headers = { RetryAfter = new(TimeSpan.Zero) } });

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => sender.SendAsync(Receipt));

        Assert.Equal(2, http.Requests.Count);
        Assert.Equal(HttpStatusCode.TooManyRequests, e.StatusCode);
    }

    [Fact]
    public void TheWaitFollowsRetryAfterButIsCappedSoEndingASessionIsNotHeldUp()
    {
        var now = DateTimeOffset.UtcNow;
        HttpResponseMessage Throttled(System.Net.Http.Headers.RetryConditionHeaderValue? after) =>
            new(HttpStatusCode.TooManyRequests) { Headers = { RetryAfter = after } };

        Assert.Equal(TimeSpan.FromSeconds(2), AcsEmailSender.RetryDelay(Throttled(new(TimeSpan.FromSeconds(2))), 1, now));
        Assert.Equal(AcsEmailSender.MaxRetryDelay, AcsEmailSender.RetryDelay(Throttled(new(TimeSpan.FromMinutes(10))), 1, now));
        Assert.Equal(TimeSpan.FromSeconds(3), AcsEmailSender.RetryDelay(Throttled(new(now.AddSeconds(3))), 1, now));
        Assert.Equal(TimeSpan.Zero, AcsEmailSender.RetryDelay(Throttled(new(now.AddSeconds(-3))), 1, now));
        Assert.Equal(TimeSpan.FromSeconds(2), AcsEmailSender.RetryDelay(Throttled(null), 2, now)); // no header: 1 s, 2 s, 4 s…
    }

    [Fact]
    public void OperationIdsAreStableUuidsPerKeyAndFreshWithout()
    {
        Assert.Equal(AcsEmailSender.OperationId("receipt:s-1"), AcsEmailSender.OperationId("receipt:s-1"));
        Assert.NotEqual(AcsEmailSender.OperationId("receipt:s-1"), AcsEmailSender.OperationId("receipt:s-2"));
        Assert.NotEqual(AcsEmailSender.OperationId(null), AcsEmailSender.OperationId(null));
        Assert.True(Guid.TryParse(AcsEmailSender.OperationId("receipt:s-1"), out _));
    }

    [Fact]
    public async Task WithoutASenderNothingIsPosted()
    {
        var (sender, http, _) = Create(new AcsEmailOptions { Endpoint = Configured.Endpoint });
        await Assert.ThrowsAsync<InvalidOperationException>(() => sender.SendAsync(Receipt));
        Assert.Empty(http.Requests);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheFunctionsHostRegistersTheSenderOnlyWhereCommunicationServicesIsConfigured(bool configured)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Cosmos:Endpoint"] = "https://cloneai-test.documents.azure.com:443/",
            ["Blob:ServiceUri"] = "https://cloneaitest.blob.core.windows.net",
        };
        if (configured)
        {
            settings["CommunicationEmail:Endpoint"] = Configured.Endpoint!.ToString();
            settings["CommunicationEmail:Sender"] = Configured.Sender;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddCloneAIAzure(configuration);
        using var provider = services.BuildServiceProvider();

        var email = provider.GetService<IEmailSender>();
        if (configured) Assert.IsType<AcsEmailSender>(email);
        else Assert.Null(email);
    }
}
