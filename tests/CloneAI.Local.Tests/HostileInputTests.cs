using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace CloneAI.Local.Tests;

/// <summary>Bad input gets a clear problem+json answer and changes nothing.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class HostileInputTests(LocalHostFixture host)
{
    [Theory]
    [InlineData("plainaddress")]
    [InlineData("a@b")]
    [InlineData("<script>@x.com")]
    [InlineData("a b@example.com")]
    [InlineData("a@example.com\r\nBcc: victim@example.com")]
    [InlineData("")]
    public async Task BadEmailsAreRejectedPerField(string email)
    {
        using var client = host.Client();
        var response = await client.PostAsJsonAsync("/api/auth/signup", new { email, password = "long enough password", displayName = "x", acceptTerms = true });
        await AssertFieldError(response, HttpStatusCode.BadRequest, "email");
    }

    [Fact]
    public async Task OverLongFieldsAreRejectedAndNothingIsStored()
    {
        var creator = await host.NewUserAsync("long", creator: true);
        using var client = host.Client(creator.AccessToken);
        var name = "Long " + Guid.NewGuid().ToString("N");
        var response = await client.PostAsJsonAsync("/api/clones", new
        {
            name = name + new string('x', 200),
            category = "science",
            tagline = new string('t', 1000),
            tags = Enumerable.Range(0, 50).Select(i => $"tag{i}").ToArray(),
            persona = new { tone = "sarcastic" },
            pricing = new { perMinute = -5, currency = "DOGE" },
        });
        var errors = await AssertFieldError(response, HttpStatusCode.BadRequest, "name");
        foreach (var field in new[] { "tagline", "tags", "persona.tone", "pricing.perMinute", "pricing.currency" })
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}");
        var mine = await client.GetFromJsonAsync<JsonElement>("/api/me/clones");
        Assert.Equal(0, mine.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task HtmlAndScriptInNamesAreStoredAndReturnedAsPlainText()
    {
        var creator = await host.NewUserAsync("<img src=x onerror=alert(1)>", creator: true);
        using var client = host.Client(creator.AccessToken);
        const string name = "<script>alert('x')</script> Dr. Evil";
        var created = await client.PostAsJsonAsync("/api/clones", new { name, category = "science", description = "<b>bold</b> & <i>risky</i>" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("application/json", created.Content.Headers.ContentType?.MediaType);
        var clone = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(name, clone.GetProperty("name").GetString());
        Assert.Equal("<b>bold</b> & <i>risky</i>", clone.GetProperty("description").GetString());
        Assert.Equal("<img src=x onerror=alert(1)>", clone.GetProperty("ownerName").GetString());
        Assert.Matches("^[a-z0-9-]+$", clone.GetProperty("slug").GetString()!);
        // It is served as JSON that browsers must not sniff into HTML.
        var read = await client.GetAsync($"/api/clones/{clone.GetProperty("id").GetString()}");
        Assert.Equal("application/json", read.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", read.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task MalformedJsonAndWrongTypesAreClearErrors()
    {
        var creator = await host.NewUserAsync("json", creator: true);
        using var client = host.Client(creator.AccessToken);
        var malformed = await client.PostAsync("/api/clones", new StringContent("{\"name\": ", Encoding.UTF8, "application/json"));
        await AssertFieldError(malformed, HttpStatusCode.BadRequest, "body");
        var wrongType = await client.PostAsync("/api/clones", new StringContent("{\"name\": 5, \"category\": [\"science\"], \"pricing\": {\"perMinute\": \"ten\"}}", Encoding.UTF8, "application/json"));
        var errors = await AssertFieldError(wrongType, HttpStatusCode.BadRequest, "name");
        Assert.True(errors.TryGetProperty("category", out _));
        Assert.True(errors.TryGetProperty("pricing.perMinute", out _));
        var array = await client.PostAsync("/api/clones", new StringContent("[1,2,3]", Encoding.UTF8, "application/json"));
        await AssertFieldError(array, HttpStatusCode.BadRequest, "body");
    }

    [Fact]
    public async Task InvalidUtf8AndLoneSurrogatesAre400NotServerErrors()
    {
        var creator = await host.NewUserAsync("utf", creator: true);
        using var client = host.Client(creator.AccessToken);
        byte[] notUtf8 = [.. "{\"name\":\"Caf"u8, 0xE9, .. "\",\"category\":\"science\"}"u8];
        var bytes = new ByteArrayContent(notUtf8);
        bytes.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        await AssertFieldError(await client.PostAsync("/api/clones", bytes), HttpStatusCode.BadRequest, "body");
        var surrogate = await client.PostAsync("/api/clones", new StringContent("{\"name\":\"Bad \\ud800 name\",\"category\":\"science\"}", Encoding.UTF8, "application/json"));
        await AssertFieldError(surrogate, HttpStatusCode.BadRequest, "name");
        var mine = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/me/clones");
        Assert.Equal(0, mine.GetProperty("items").GetArrayLength()); // nothing was created
    }

    [Fact]
    public async Task TheProfileIsNeverCached()
    {
        var user = await host.NewUserAsync("nostore");
        using var client = host.Client(user.AccessToken);
        var me = await client.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.True(me.Headers.CacheControl?.NoStore, $"Cache-Control: {me.Headers.CacheControl}");
        var patched = await client.PatchAsJsonAsync("/api/me", new { bio = "cached nowhere" });
        Assert.True(patched.Headers.CacheControl?.NoStore, $"Cache-Control: {patched.Headers.CacheControl}");
    }

    [Fact]
    public async Task AnOversizedJsonBodyIs413()
    {
        using var client = host.Client();
        var huge = "{\"email\":\"" + new string('a', 100_000) + "@x.com\",\"password\":\"long enough password\",\"displayName\":\"x\"}";
        var response = await client.PostAsync("/api/auth/signup", new StringContent(huge, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ABodyOverTheHostLimitIsRefused()
    {
        var user = await host.NewUserAsync("bighost");
        using var client = host.Client(user.AccessToken);
        var content = new ByteArrayContent(new byte[6 * 1024 * 1024]);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        // Like a careful client, wait for the server's verdict before sending the body; it answers without reading it.
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/me/avatar") { Content = content };
        request.Headers.ExpectContinue = true;
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task AnAvatarOverTwoMegabytesIs413()
    {
        var user = await host.NewUserAsync("bigavatar");
        using var client = host.Client(user.AccessToken);
        var png = TestImages.Png();
        var padded = new byte[3 * 1024 * 1024];
        png.CopyTo(padded, 0);
        var content = new ByteArrayContent(padded);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        var response = await client.PutAsync("/api/me/avatar", content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal(JsonValueKind.Null, me.GetProperty("avatarUrl").ValueKind);
    }

    [Fact]
    public async Task ADisguisedNonImageIsRejected()
    {
        var user = await host.NewUserAsync("disguise");
        using var client = host.Client(user.AccessToken);
        using var form = new MultipartFormDataContent();
        var fake = new ByteArrayContent(Encoding.UTF8.GetBytes("#!/bin/sh\nrm -rf /\n" + new string('A', 500)));
        fake.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(fake, "file", "avatar.png");
        var response = await client.PutAsync("/api/me/avatar", form);
        await AssertFieldError(response, HttpStatusCode.BadRequest, "file");
    }

    [Fact]
    public async Task APathTraversalFileNameCannotWriteOutsideTheAvatarFolder()
    {
        var user = await host.NewUserAsync("traversal");
        using var client = host.Client(user.AccessToken);
        using var form = new MultipartFormDataContent();
        var image = new ByteArrayContent(TestImages.Jpeg());
        image.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(image, "file", "../../../../tmp/evil.png");
        var response = await client.PutAsync("/api/me/avatar", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var blobs = Path.Combine(host.DataDir, "blobs");
        var stored = Directory.GetFiles(blobs, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(blobs, f)).ToList();
        Assert.Contains($"avatars/users/{user.Id}.png", stored);
        Assert.DoesNotContain(stored, f => f.Contains("evil", StringComparison.Ordinal));
        Assert.False(File.Exists("/tmp/evil.png"));

        // What comes back is a re-encoded PNG, whatever was sent.
        var avatar = await client.GetAsync("/api/me/avatar");
        Assert.Equal("image/png", avatar.Content.Headers.ContentType?.MediaType);
        var bytes = await avatar.Content.ReadAsByteArrayAsync();
        Assert.Equal(0x89, bytes[0]);
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("\"unbalanced")]
    [InlineData("*")]
    [InlineData("NEAR(a b)")]
    [InlineData("name:secret")]
    [InlineData("a AND OR NOT b")]
    [InlineData("'); DROP TABLE clones; --")]
    [InlineData("^start")]
    [InlineData("{col1 col2}: x")]
    [InlineData("(((")]
    public async Task FtsSyntaxInTheSearchQueryIsTreatedAsText(string q)
    {
        using var client = host.Client();
        var response = await client.GetAsync("/api/clones?q=" + Uri.EscapeDataString(q));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Array, page.GetProperty("items").ValueKind);
        // The table is still there.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/clones")).StatusCode);
    }

    [Fact]
    public async Task BadQueryParametersAreFieldErrors()
    {
        using var client = host.Client();
        var typed = await client.GetAsync("/api/clones?minRating=abc&pageSize=ten");
        var typeErrors = await AssertFieldError(typed, HttpStatusCode.BadRequest, "minRating");
        Assert.True(typeErrors.TryGetProperty("pageSize", out _));
        var ranges = await client.GetAsync("/api/clones?minRating=9&pageSize=1000&sort=random&category=nope&minPrice=500&maxPrice=100");
        var rangeErrors = await AssertFieldError(ranges, HttpStatusCode.BadRequest, "minRating");
        foreach (var field in new[] { "pageSize", "sort", "category", "maxPrice" })
            Assert.True(rangeErrors.TryGetProperty(field, out _), $"no error for {field}");
        var token = await client.GetAsync("/api/clones?continuationToken=bm90LWEtdG9rZW4");
        await AssertFieldError(token, HttpStatusCode.BadRequest, "continuationToken");
    }

    internal static async Task<JsonElement> AssertFieldError(HttpResponseMessage response, HttpStatusCode status, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {status}, got {response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"no error for '{field}' in {body}");
        Assert.True(messages.GetArrayLength() > 0);
        return errors;
    }

    [Fact]
    public async Task ControlBidiAndZeroWidthCharactersNeverReachADisplayName()
    {
        var email = $"bidi-{Guid.NewGuid():N}@cloneai.test";
        await host.SignUpVerifiedAsync(email, "Ev\u0000e\u001b[2J\u202Egnp.exe\u202C\u200B");
        var tokens = await host.LoginAsync(email);
        using var client = host.Client(tokens.AccessToken);
        Assert.Equal("Eve[2Jgnp.exe", (await client.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("displayName").GetString());

        var renamed = await client.PatchAsJsonAsync("/api/me", new { displayName = "\u2067Mallory\u2069\u0007 \uFF2D" });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal("Mallory M", (await renamed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("displayName").GetString());

        var invisible = await client.PatchAsJsonAsync("/api/me", new { displayName = "\u200B\u202E\u0000\u001b" });
        await AssertFieldError(invisible, HttpStatusCode.BadRequest, "displayName");
    }
}
