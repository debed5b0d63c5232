using CloneAI.Core.Domain;
using CloneAI.Core.Images;
using CloneAI.Functions.Api.Clones;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Mvc;
using SkiaSharp;
using static CloneAI.Functions.Tests.ApiHarness;

namespace CloneAI.Functions.Tests.Api;

public sealed class ClonesApiTests
{
    private static readonly object ValidClone = new { name = "Ada Lovelace", category = "science" };
    private readonly ApiHarness _h = new();
    private readonly CancellationToken _ct = CancellationToken.None;

    private void VerifyNothingWritten()
    {
        _h.Clones.Verify(s => s.CreateAsync(It.IsAny<Clone>(), It.IsAny<CancellationToken>()), Times.Never);
        _h.Clones.Verify(s => s.ReplaceAsync(It.IsAny<Clone>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task CreatingACloneWithoutSigningInIsA401Problem()
    {
        var result = await _h.ClonesApi.CreateClone(Request("POST", ValidClone), _ct);

        var problem = Results.Problem(result, 401);
        Assert.Equal("Unauthorized", problem.Title);
        VerifyNothingWritten();
    }

    [Fact]
    public async Task CreatingACloneWithATokenTheSchemeRejectsIsA401Problem()
    {
        var result = await _h.ClonesApi.CreateClone(WithRejectedToken(Request("POST", ValidClone)), _ct);

        Results.Problem(result, 401);
        VerifyNothingWritten();
    }

    [Fact]
    public async Task AnAuthorizationHeaderThatIsNotABearerTokenIsA401Problem()
    {
        var request = Request("POST", ValidClone);
        request.Headers.Authorization = "Basic YWxpY2U6c2VjcmV0";

        var problem = Results.Problem(await _h.ClonesApi.CreateClone(request, _ct), 401);

        Assert.Contains("Bearer", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATokenWithoutASubjectIsA401Problem()
    {
        var request = As(Request("POST", ValidClone), new System.Security.Claims.Claim("email", "who@example.com"));

        Results.Problem(await _h.ClonesApi.CreateClone(request, _ct), 401);
    }

    [Fact]
    public async Task ACreatorCreatesADraftAndGetsA201WithItsLocation()
    {
        var result = await _h.ClonesApi.CreateClone(As(Request("POST", ValidClone), Creator), _ct);

        var created = Assert.IsType<CreatedResult>(result);
        var dto = Assert.IsType<CloneDto>(created.Value);
        Assert.Equal($"/api/clones/{dto.Id}", created.Location);
        Assert.Equal(("ada-lovelace", CloneStatus.Draft, Creator.Id), (dto.Slug, dto.Status, dto.OwnerId));
        Assert.True(_h.CloneRecords.ContainsKey(dto.Id));
    }

    [Fact]
    public async Task AReaderWithoutTheCreatorRoleIsForbiddenToCreate()
    {
        var result = await _h.ClonesApi.CreateClone(As(Request("POST", ValidClone), Reader), _ct);

        Results.Problem(result, 403);
        VerifyNothingWritten();
    }

    [Theory]
    [InlineData("{\"name\": \"Ada\",")]
    [InlineData("not json at all")]
    [InlineData("[1, 2, 3]")]
    [InlineData("\"just a string\"")]
    public async Task ABodyThatIsNotAJsonObjectIsA400OnTheBody(string body)
    {
        var result = await _h.ClonesApi.CreateClone(As(Request("POST", body), Creator), _ct);

        Results.ValidationErrors(result, "body");
        VerifyNothingWritten();
    }

    [Fact]
    public async Task AnEmptyBodyIsA400OnTheBody()
    {
        var request = As(Request("POST", ""), Creator);

        Results.ValidationErrors(await _h.ClonesApi.CreateClone(request, _ct), "body");
    }

    [Fact]
    public async Task ABodySentAsPlainTextIsA400OnTheBody()
    {
        var request = As(Request("POST", "{\"name\":\"Ada\",\"category\":\"science\"}", "text/plain"), Creator);

        var errors = Results.ValidationErrors(await _h.ClonesApi.CreateClone(request, _ct), "body");

        Assert.Contains("application/json", errors["body"][0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonNestedDeeperThanSixteenLevelsIsA400OnTheBody()
    {
        var deep = "{\"a\":" + string.Concat(Enumerable.Repeat("[", 20)) + string.Concat(Enumerable.Repeat("]", 20)) + "}";

        Results.ValidationErrors(await _h.ClonesApi.CreateClone(As(Request("POST", deep), Creator), _ct), "body");
    }

    [Fact]
    public async Task ANumberWhereTheNameBelongsIsA400OnTheName()
    {
        var result = await _h.ClonesApi.CreateClone(As(Request("POST", new { name = 5, category = "science" }), Creator), _ct);

        var errors = Results.ValidationErrors(result, "name");
        Assert.Equal(["Must be a string."], errors["name"]);
        VerifyNothingWritten();
    }

    [Fact]
    public async Task WrongTypesInNestedObjectsAreReportedUnderTheirDottedPaths()
    {
        var body = new
        {
            name = "Ada", category = "science", tags = "math",
            persona = new { tone = 3, topicsToAvoid = new object[] { "ok", 7 } },
            pricing = new { perMinute = 1.5, currency = true, freeMessages = 5_000_000_000L },
        };

        var result = await _h.ClonesApi.CreateClone(As(Request("POST", body), Creator), _ct);

        Results.ValidationErrors(result, "tags", "persona.tone", "persona.topicsToAvoid", "pricing.perMinute", "pricing.currency", "pricing.freeMessages");
        VerifyNothingWritten();
    }

    [Fact]
    public async Task APersonaThatIsNotAnObjectIsA400OnPersona()
    {
        var result = await _h.ClonesApi.CreateClone(As(Request("POST", new { name = "Ada", category = "science", persona = "friendly" }), Creator), _ct);

        Results.ValidationErrors(result, "persona");
    }

    [Fact]
    public async Task DomainValidationErrorsComeBackPerFieldWithNestedNames()
    {
        var body = new { name = "Ada", category = "astrology", persona = new { tone = "grumpy" }, pricing = new { currency = "BTC" } };

        var result = await _h.ClonesApi.CreateClone(As(Request("POST", body), Creator), _ct);

        Results.ValidationErrors(result, "category", "persona.tone", "pricing.currency");
    }

    [Fact]
    public async Task ABodyLargerThan64KilobytesIsA413()
    {
        var big = "{\"description\":\"" + new string('x', RequestBody.MaxJsonBytes) + "\"}";

        var result = await _h.ClonesApi.CreateClone(As(Request("POST", big), Creator), _ct);

        Results.Problem(result, 413);
        VerifyNothingWritten();
    }

    [Fact]
    public async Task AContentLengthOver64KilobytesIsA413BeforeReading()
    {
        var request = As(Request("POST", ValidClone), Creator);
        request.ContentLength = RequestBody.MaxJsonBytes + 1;

        Results.Problem(await _h.ClonesApi.CreateClone(request, _ct), 413);
    }

    // JsonNode.Parse accepts duplicate names and only fails on first read with an ArgumentException (once a 500).
    [Theory]
    [InlineData("{\"name\":\"Ada\",\"name\":\"Bob\",\"category\":\"science\"}")]
    [InlineData("{\"name\":\"Ada\",\"category\":\"science\",\"persona\":{\"tone\":\"direct\",\"tone\":\"casual\"}}")]
    public async Task DuplicatePropertyNamesAreA400NotA500(string body)
    {
        var result = await _h.ClonesApi.CreateClone(As(Request("POST", body), Creator), _ct);

        Results.ValidationErrors(result, "body");
    }

    [Fact]
    public async Task PatchingPerMinuteToNullClearsThatPriceAndKeepsTheOther()
    {
        _h.SeedClone();

        var result = await _h.ClonesApi.UpdateClone(As(Request("PATCH", "{\"pricing\":{\"perMinute\":null}}"), Creator), "clone-1", _ct);

        var dto = Results.Ok<CloneDto>(result);
        Assert.Null(dto.Pricing.PerMinute);
        Assert.Equal(5, dto.Pricing.PerMessage);
        Assert.Null(_h.CloneRecords["clone-1"].Pricing.PerMinute);
    }

    [Fact]
    public async Task PatchingLeavesAbsentFieldsAsTheyAre()
    {
        _h.SeedClone();

        var result = await _h.ClonesApi.UpdateClone(As(Request("PATCH", new { tagline = "Poet of numbers", pricing = new { perMessage = 7 } }), Creator), "clone-1", _ct);

        var dto = Results.Ok<CloneDto>(result);
        Assert.Equal("Poet of numbers", dto.Tagline);
        Assert.Equal(("Ada", "Mathematician.", "Hello!"), (dto.Name, dto.Description, dto.Persona.Greeting));
        Assert.Equal((100L, 7L), (dto.Pricing.PerMinute, dto.Pricing.PerMessage));
    }

    [Fact]
    public async Task PatchingSomeoneElsesPublishedCloneIsA403AndTheirDraftA404()
    {
        _h.SeedClone(CloneStatus.Published, id: "pub");
        _h.SeedClone(CloneStatus.Draft, id: "draft");

        Results.Problem(await _h.ClonesApi.UpdateClone(As(Request("PATCH", new { name = "Mine" }), Reader), "pub", _ct), 403);
        Results.Problem(await _h.ClonesApi.UpdateClone(As(Request("PATCH", new { name = "Mine" }), Reader), "draft", _ct), 404);
        VerifyNothingWritten();
    }

    [Fact]
    public async Task AnAdminCanPatchSomeoneElsesClone()
    {
        _h.SeedClone();

        var dto = Results.Ok<CloneDto>(await _h.ClonesApi.UpdateClone(As(Request("PATCH", new { tagline = "Reviewed" }), Boss), "clone-1", _ct));

        Assert.Equal("Reviewed", dto.Tagline);
    }

    [Fact]
    public async Task SearchingWithANonNumericMinRatingIsA400OnMinRating()
    {
        var result = await _h.ClonesApi.SearchClones(Request(query: "?minRating=abc"), _ct);

        Results.ValidationErrors(result, "minRating");
        _h.Clones.Verify(s => s.SearchPublishedAsync(It.IsAny<MarketplaceQuery>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task EveryUnparsableSearchParameterIsReported()
    {
        var result = await _h.ClonesApi.SearchClones(Request(query: "?pageSize=ten&minPrice=1.5&maxPrice=x&minRating=Infinity"), _ct);

        Results.ValidationErrors(result, "pageSize", "minPrice", "maxPrice", "minRating");
    }

    [Fact]
    public async Task AnOutOfRangeSearchIsA400FromTheDomain()
    {
        Results.ValidationErrors(await _h.ClonesApi.SearchClones(Request(query: "?pageSize=500&sort=cheapest"), _ct), "pageSize", "sort");
    }

    [Fact]
    public async Task SearchingPassesTheParsedFiltersToTheStoreAndReturnsPublishedClones()
    {
        _h.SeedClone(CloneStatus.Published);

        var result = await _h.ClonesApi.SearchClones(Request(query: "?q=%20ada%20&category=science&minPrice=10&maxPrice=200&minRating=4.5&pageSize=5"), _ct);

        var page = Results.Ok<ClonePage>(result);
        Assert.Equal("clone-1", Assert.Single(page.Items).Id);
        _h.Clones.Verify(s => s.SearchPublishedAsync(It.Is<MarketplaceQuery>(q =>
            q.Query == "ada" && q.Category == "science" && q.MinPrice == 10 && q.MaxPrice == 200 && q.MinRating == 4.5 &&
            q.PageSize == 5 && q.Sort == MarketplaceSort.Relevance), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ADraftIsA404ForAnonymousCallersButVisibleToItsOwner()
    {
        _h.SeedClone();

        Results.Problem(await _h.ClonesApi.GetClone(Request(), "clone-1", _ct), 404);
        Assert.Equal("clone-1", Results.Ok<CloneDto>(await _h.ClonesApi.GetClone(As(Request(), Creator), "clone-1", _ct)).Id);
    }

    [Fact]
    public async Task APublishedCloneIsVisibleAnonymouslyBySlug()
    {
        _h.SeedClone(CloneStatus.Published);

        Assert.Equal("clone-1", Results.Ok<CloneDto>(await _h.ClonesApi.GetClone(Request(), "ada-clone-1", _ct)).Id);
    }

    [Fact]
    public async Task DeletingIsA204AndAfterwardsTheCloneIsA404()
    {
        _h.SeedClone(CloneStatus.Published);

        Assert.IsType<NoContentResult>(await _h.ClonesApi.DeleteClone(As(Request("DELETE"), Creator), "clone-1", _ct));

        Assert.Equal(CloneStatus.Deleted, _h.CloneRecords["clone-1"].Status);
        Results.Problem(await _h.ClonesApi.GetClone(As(Request(), Creator), "clone-1", _ct), 404);
    }

    [Fact]
    public async Task PublishingWithoutAPriceIsA400NamingThePricing()
    {
        var clone = _h.SeedClone();
        _h.CloneRecords[clone.Id] = clone with { Pricing = new Pricing() };

        var result = await _h.ClonesApi.PublishClone(As(Request("POST"), Creator), clone.Id, _ct);

        Results.ValidationErrors(result, "pricing", "status");
    }

    [Fact]
    public async Task PublishingThenUnpublishingMovesTheCloneOnAndOffTheMarketplace()
    {
        _h.SeedClone();

        Assert.Equal(CloneStatus.Published, Results.Ok<CloneDto>(await _h.ClonesApi.PublishClone(As(Request("POST"), Creator), "clone-1", _ct)).Status);
        Assert.Equal(CloneStatus.Draft, Results.Ok<CloneDto>(await _h.ClonesApi.UnpublishClone(As(Request("POST"), Creator), "clone-1", _ct)).Status);
    }

    [Fact]
    public async Task ACloneAvatarIsValidatedAndStoredAsPng()
    {
        _h.SeedClone();

        var result = await _h.ClonesApi.PutCloneAvatar(As(Request("PUT", TestImage(), "image/jpeg"), Creator), "clone-1", _ct);

        var dto = Results.Ok<CloneDto>(result);
        Assert.StartsWith("/api/clones/clone-1/avatar", dto.AvatarUrl, StringComparison.Ordinal);
        _h.Blobs.Verify(b => b.PutAsync("avatars/clones/clone-1.png", It.IsAny<byte[]>(), "image/png", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ACloneAvatarThatIsNotAnImageIsA400OnFile()
    {
        _h.SeedClone();

        var result = await _h.ClonesApi.PutCloneAvatar(As(Request("PUT", "just text, honest", "image/png"), Creator), "clone-1", _ct);

        Results.ValidationErrors(result, "file");
        _h.Blobs.Verify(b => b.PutAsync(It.IsAny<string>(), It.IsAny<byte[]>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task SomeoneElseCannotReplaceACloneAvatar()
    {
        _h.SeedClone(CloneStatus.Published);

        Results.Problem(await _h.ClonesApi.PutCloneAvatar(As(Request("PUT", TestImage(), "image/png"), Reader), "clone-1", _ct), 403);
        _h.Blobs.Verify(b => b.PutAsync(It.IsAny<string>(), It.IsAny<byte[]>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ACloneWithoutAnAvatarHasNone()
    {
        _h.SeedClone(CloneStatus.Published);

        Results.Problem(await _h.ClonesApi.GetCloneAvatar(Request(), "clone-1", _ct), 404);
    }

    [Fact]
    public async Task TheCategoriesAreTheFixedList()
    {
        var categories = Results.Ok<IReadOnlyList<Category>>(await _h.ClonesApi.ListCategories(Request()));

        Assert.Contains(categories, c => c.Id == "science");
        Assert.Equal(Categories.All.Count, categories.Count);
    }

    internal static byte[] TestImage(int size = 64)
    {
        using var bitmap = new SKBitmap(size, size);
        bitmap.Erase(SKColors.Teal);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 80);
        Assert.Equal("jpeg", ImageValidator.SniffFormat(data.ToArray()));
        return data.ToArray();
    }
}
