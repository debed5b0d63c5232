using System.Text;
using CloneAI.Core.Errors;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Http;
using static CloneAI.Functions.Tests.ApiHarness;

namespace CloneAI.Functions.Tests.Http;

public sealed class RequestReadingTests
{
    private static Task<RequestBody> Read(string json, string? contentType = "application/json") =>
        RequestBody.ReadJsonAsync(Request("POST", json, contentType), CancellationToken.None);

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/merge-patch+json")]
    [InlineData(null)]
    public async Task JsonIsAcceptedUnderAnyJsonContentTypeOrNone(string? contentType)
    {
        var body = await Read("{\"name\":\"Ada\"}", contentType);

        Assert.Equal("Ada", body.String("name"));
    }

    [Fact]
    public async Task BytesThatAreNotUtf8AreABadBodyNotAServerError()
    {
        var request = Request("POST", "", "application/json");
        request.Body = new MemoryStream([.. "{\"name\":\""u8, 0xC3, 0x28, .. "\"}"u8]);
        var e = await Assert.ThrowsAsync<ValidationException>(() => RequestBody.ReadJsonAsync(request, CancellationToken.None));
        Assert.Contains("body", e.Errors.Keys);
    }

    [Theory]
    [InlineData("{\"name\":\"a\\ud800b\"}", "name")]
    [InlineData("{\"persona\":{\"greeting\":\"\\udc00\"}}", "persona.greeting")]
    [InlineData("{\"tags\":[\"ok\",\"\\ud83d\"]}", "tags")]
    [InlineData("{\"\\ud800\":1}", "body")]
    public async Task ALoneSurrogateIsAFieldErrorNotAServerError(string json, string field)
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => Read(json));
        Assert.Contains(field, e.Errors.Keys);
    }

    [Fact]
    public async Task APairedSurrogateEscapeIsText()
    {
        var body = await Read("{\"name\":\"run \\ud83c\\udfc3\"}");
        Assert.Equal("run \U0001F3C3", body.String("name"));
    }

    [Fact]
    public async Task AbsentAndNullFieldsAreToldApart()
    {
        var body = await Read("{\"a\":null,\"b\":1}");

        Assert.True(body.IsNull("a"));
        Assert.False(body.IsNull("b"));
        Assert.False(body.IsNull("c"));
        Assert.False(body.Has("c"));
        Assert.Null(body.Long("a"));
        body.ThrowIfInvalid();
    }

    [Fact]
    public async Task WholeNumbersAreCheckedForTypeAndRange()
    {
        var body = await Read("{\"ok\":42,\"text\":\"42\",\"fraction\":1.5,\"big\":3000000000}");

        Assert.Equal(42, body.Int("ok"));
        Assert.Null(body.Long("text"));
        Assert.Null(body.Long("fraction"));
        Assert.Null(body.Int("big"));
        var e = Assert.Throws<ValidationException>(body.ThrowIfInvalid);
        Assert.Equal(["big", "fraction", "text"], e.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["Out of range."], e.Errors["big"]);
    }

    [Fact]
    public async Task AListOfMoreThanAHundredStringsIsRejected()
    {
        var body = await Read("{\"tags\":[" + string.Join(',', Enumerable.Range(0, 101).Select(i => $"\"t{i}\"")) + "]}");

        Assert.Null(body.StringList("tags"));
        Assert.Contains("tags", Assert.Throws<ValidationException>(body.ThrowIfInvalid).Errors.Keys);
    }

    [Fact]
    public async Task ABodyThatIsLargerThanItsContentLengthClaimedIsStillCutAtTheLimit()
    {
        var request = Request("POST", new string('x', 100));
        request.ContentLength = 10;

        await Assert.ThrowsAsync<PayloadTooLargeException>(() => RequestBody.ReadBytesAsync(request, 50, CancellationToken.None));
    }

    [Fact]
    public async Task ABodyOfExactlyTheLimitIsRead()
    {
        var bytes = await RequestBody.ReadBytesAsync(Request("POST", new string('x', 50)), 50, CancellationToken.None);

        Assert.Equal(50, bytes.Length);
    }

    [Fact]
    public void QueryValuesAreParsedWithTheInvariantCulture()
    {
        var query = new QueryReader(Request(query: "?r=2.5&n=7&l=9000000000&empty=&s=hello").Query);

        Assert.Equal(2.5, query.Double("r"));
        Assert.Equal(7, query.Int("n"));
        Assert.Equal(9_000_000_000L, query.Long("l"));
        Assert.Null(query.String("empty"));
        Assert.Null(query.Int("missing"));
        Assert.Equal("hello", query.String("s"));
        query.ThrowIfInvalid();
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("2,5")]
    [InlineData("abc")]
    public void ANonFiniteOrMalformedNumberInTheQueryIsAnError(string value)
    {
        var query = new QueryReader(Request(query: "?minRating=" + Uri.EscapeDataString(value)).Query);

        Assert.Null(query.Double("minRating"));
        Assert.Equal(["minRating"], Assert.Throws<ValidationException>(query.ThrowIfInvalid).Errors.Keys);
    }

    [Fact]
    public async Task AnUploadWhoseContentLengthIsFarOverTheLimitIsRefusedUnread()
    {
        var request = Request("PUT", "tiny", "image/png");
        request.ContentLength = 10_000_000;

        await Assert.ThrowsAsync<PayloadTooLargeException>(() => Uploads.ReadSingleFileAsync(request, 1024, CancellationToken.None));
        Assert.Equal(0, request.Body.Position);
    }

    [Fact]
    public async Task AMultipartFileLargerThanTheLimitIsA413()
    {
        const string boundary = "xyz";
        var body = $"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\n{new string('x', 2048)}\r\n--{boundary}--\r\n";
        var request = Request("PUT", body, $"multipart/form-data; boundary={boundary}");

        await Assert.ThrowsAsync<PayloadTooLargeException>(() => Uploads.ReadSingleFileAsync(request, 1024, CancellationToken.None));
    }

    [Fact]
    public async Task ARawUploadReturnsTheBodyBytes()
    {
        var request = Request("PUT", Encoding.ASCII.GetBytes("raw bytes"), "application/octet-stream");

        Assert.Equal("raw bytes", Encoding.ASCII.GetString(await Uploads.ReadSingleFileAsync(request, 1024, CancellationToken.None)));
    }

    [Fact]
    public async Task TheCallerIsNullWhenNoTokenIsSent()
    {
        var auth = new ApiHarness().Auth;

        Assert.Null(await auth.TryGetCallerAsync(Request(), CancellationToken.None));
        await Assert.ThrowsAsync<UnauthorizedException>(() => auth.RequireCallerAsync(Request(), CancellationToken.None));
    }

    [Fact]
    public async Task TheSubjectIsTakenFromTheObjectIdBeforeSub()
    {
        var auth = new ApiHarness().Auth;
        var request = As(Request(), new System.Security.Claims.Claim("sub", "pairwise-sub"), new System.Security.Claims.Claim("oid", Reader.Id));

        var caller = await auth.TryGetCallerAsync(request, CancellationToken.None);

        Assert.Equal(Reader.Id, caller!.UserId);
    }
}
