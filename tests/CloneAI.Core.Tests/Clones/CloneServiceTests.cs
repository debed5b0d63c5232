using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Ports;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CloneAI.Core.Tests.Clones;

public sealed class CloneServiceTests
{
    private static readonly Caller Owner = new("owner", "owner@example.com", "Owner", IsAdmin: false, IsCreator: true);
    private static readonly Caller Stranger = new("stranger", "stranger@example.com", "Stranger", IsAdmin: false, IsCreator: true);
    private static readonly Caller Admin = new("admin", "admin@example.com", "Admin", IsAdmin: true, IsCreator: false);
    private static readonly Caller PlainUser = new("plain", "plain@example.com", "Plain", IsAdmin: false, IsCreator: false);

    private readonly Mock<ICloneStore> _store = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 14, 9, 0, 0, TimeSpan.Zero));
    private readonly Dictionary<string, Clone> _clones = new(StringComparer.Ordinal);
    private readonly CloneService _service;

    public CloneServiceTests()
    {
        _store.Setup(s => s.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => _clones.GetValueOrDefault(id));
        _store.Setup(s => s.GetBySlugAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string slug, CancellationToken _) => _clones.Values.FirstOrDefault(c => c.Slug == slug));
        _store.Setup(s => s.CreateAsync(It.IsAny<Clone>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Clone c, CancellationToken _) =>
            {
                if (_clones.Values.Any(x => x.Slug == c.Slug)) throw new ConflictException("slug taken");
                return _clones[c.Id] = c with { ETag = "1" };
            });
        _store.Setup(s => s.ReplaceAsync(It.IsAny<Clone>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Clone c, string? _, CancellationToken _) => _clones[c.Id] = c);
        _store.Setup(s => s.SearchPublishedAsync(It.IsAny<MarketplaceQuery>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Page<Clone>([], null));
        _service = new CloneService(_store.Object, _time, NullLogger<CloneService>.Instance);
    }

    private static CloneInput Valid(string name = "Ada Lovelace") => new(Name: name, Category: "science");

    private Clone Seed(string status = CloneStatus.Draft, string owner = "owner", Pricing? pricing = null)
    {
        var clone = new Clone
        {
            Id = "c1", Slug = "ada", OwnerId = owner, Name = "Ada", Category = "science", Status = status,
            Description = "Mathematician.",
            Persona = new Persona { Greeting = "Hello!", Instructions = "Answer like Ada." },
            Pricing = pricing ?? new Pricing { PerMinute = 50, PerMessage = 10 },
            PublishedAt = status == CloneStatus.Published ? _time.Start.AddDays(-1) : null,
            ETag = "1",
        };
        _clones[clone.Id] = clone;
        return clone;
    }

    private void VerifyNothingWritten()
    {
        _store.Verify(s => s.CreateAsync(It.IsAny<Clone>(), It.IsAny<CancellationToken>()), Times.Never);
        _store.Verify(s => s.ReplaceAsync(It.IsAny<Clone>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    // ---- create

    [Fact]
    public async Task AUserWhoIsNotACreatorCannotCreateAClone()
    {
        await Assert.ThrowsAsync<ForbiddenException>(() => _service.CreateAsync(PlainUser, Valid()));

        VerifyNothingWritten();
    }

    [Fact]
    public async Task AnAdminCanCreateACloneWithoutTheCreatorRole()
    {
        var clone = await _service.CreateAsync(Admin, Valid());

        Assert.Equal("admin", clone.OwnerId);
    }

    [Fact]
    public async Task ANewCloneIsADraftOwnedByTheCallerWithCleanedFields()
    {
        var clone = await _service.CreateAsync(Owner, new CloneInput(
            Name: "  Ada Lovelace ", Category: "science", Tagline: " First programmer ", Tags: ["Math", "math ", "History"],
            Persona: new PersonaInput(Greeting: " Hi ", Tone: "academic"), Pricing: new PricingInput(PerMessage: 25, Currency: "EUR")));

        Assert.Equal(CloneStatus.Draft, clone.Status);
        Assert.Equal("owner", clone.OwnerId);
        Assert.Equal("Owner", clone.OwnerName);
        Assert.Equal("Ada Lovelace", clone.Name);
        Assert.Equal("First programmer", clone.Tagline);
        Assert.Equal(["math", "history"], clone.Tags);
        Assert.Equal("Hi", clone.Persona.Greeting);
        Assert.Equal("academic", clone.Persona.Tone);
        Assert.Equal("medium", clone.Persona.AnswerLength);
        Assert.NotEmpty(clone.Persona.DontKnowMessage);
        Assert.Equal(25, clone.Pricing.PerMessage);
        Assert.Null(clone.Pricing.PerMinute);
        Assert.Equal("EUR", clone.Pricing.Currency);
        Assert.Equal(_time.Start, clone.CreatedAt);
        Assert.Null(clone.PublishedAt);
    }

    public static TheoryData<string, string> InvalidFields => new()
    {
        { "name too short", "name" },
        { "name too long", "name" },
        { "no name", "name" },
        { "unknown category", "category" },
        { "no category", "category" },
        { "bad slug", "slug" },
        { "long tagline", "tagline" },
        { "long description", "description" },
        { "too many tags", "tags" },
        { "blank tag", "tags" },
        { "unknown tone", "persona.tone" },
        { "unknown answer length", "persona.answerLength" },
        { "long greeting", "persona.greeting" },
        { "long instructions", "persona.instructions" },
        { "long dont-know message", "persona.dontKnowMessage" },
        { "too many topics", "persona.topicsToAvoid" },
        { "unknown currency", "pricing.currency" },
        { "negative price per minute", "pricing.perMinute" },
        { "huge price per message", "pricing.perMessage" },
        { "too many free messages", "pricing.freeMessages" },
    };

    private static CloneInput Invalid(string what) => what switch
    {
        "name too short" => Valid("A"),
        "name too long" => Valid(new string('n', CloneService.MaxName + 1)),
        "no name" => Valid() with { Name = null },
        "unknown category" => Valid() with { Category = "astrology" },
        "no category" => Valid() with { Category = null },
        "bad slug" => Valid() with { Slug = "Not A Slug" },
        "long tagline" => Valid() with { Tagline = new string('t', CloneService.MaxTagline + 1) },
        "long description" => Valid() with { Description = new string('d', CloneService.MaxDescription + 1) },
        "too many tags" => Valid() with { Tags = Enumerable.Range(0, CloneService.MaxTags + 1).Select(i => $"tag{i}").ToList() },
        "blank tag" => Valid() with { Tags = ["ok", " "] },
        "unknown tone" => Valid() with { Persona = new PersonaInput(Tone: "grumpy") },
        "unknown answer length" => Valid() with { Persona = new PersonaInput(AnswerLength: "epic") },
        "long greeting" => Valid() with { Persona = new PersonaInput(Greeting: new string('g', CloneService.MaxGreeting + 1)) },
        "long instructions" => Valid() with { Persona = new PersonaInput(Instructions: new string('i', CloneService.MaxInstructions + 1)) },
        "long dont-know message" => Valid() with { Persona = new PersonaInput(DontKnowMessage: new string('k', CloneService.MaxDontKnow + 1)) },
        "too many topics" => Valid() with { Persona = new PersonaInput(TopicsToAvoid: Enumerable.Range(0, CloneService.MaxTopics + 1).Select(i => $"t{i}").ToList()) },
        "unknown currency" => Valid() with { Pricing = new PricingInput(Currency: "BTC") },
        "negative price per minute" => Valid() with { Pricing = new PricingInput(PerMinute: -1) },
        "huge price per message" => Valid() with { Pricing = new PricingInput(PerMessage: CloneService.MaxPrice + 1) },
        "too many free messages" => Valid() with { Pricing = new PricingInput(FreeMessages: CloneService.MaxFreeMessages + 1) },
        _ => throw new ArgumentOutOfRangeException(nameof(what)),
    };

    [Theory]
    [MemberData(nameof(InvalidFields))]
    public async Task AnInvalidFieldIsReportedUnderItsJsonPathAndNothingIsCreated(string what, string field)
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => _service.CreateAsync(Owner, Invalid(what)));

        Assert.Contains(field, e.Errors.Keys);
        Assert.All(e.Errors.Keys, k => Assert.Equal(field, k));
        VerifyNothingWritten();
    }

    [Fact]
    public async Task EveryInvalidFieldIsReportedAtOnce()
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => _service.CreateAsync(Owner, new CloneInput(
            Name: "x", Category: "astrology", Persona: new PersonaInput(Tone: "grumpy"), Pricing: new PricingInput(Currency: "BTC"))));

        Assert.Equal(["category", "name", "persona.tone", "pricing.currency"], e.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TheSlugIsDerivedFromTheName()
    {
        var clone = await _service.CreateAsync(Owner, Valid("Dr. Ada Lovelace!"));

        Assert.Equal("dr-ada-lovelace", clone.Slug);
    }

    [Fact]
    public async Task ADerivedSlugThatIsTakenIsRetriedWithARandomSuffix()
    {
        await _service.CreateAsync(Owner, Valid("Ada Lovelace"));

        var second = await _service.CreateAsync(Owner, Valid("Ada Lovelace"));

        Assert.Matches("^ada-lovelace-[0-9a-f]{6}$", second.Slug);
        Assert.True(Slugs.IsValid(second.Slug));
        _store.Verify(s => s.CreateAsync(It.IsAny<Clone>(), It.IsAny<CancellationToken>()), Times.Exactly(3));
    }

    [Fact]
    public async Task ADerivedSlugGivesUpAfterSixConflicts()
    {
        _store.Setup(s => s.CreateAsync(It.IsAny<Clone>(), It.IsAny<CancellationToken>())).ThrowsAsync(new ConflictException("slug taken"));

        await Assert.ThrowsAsync<ConflictException>(() => _service.CreateAsync(Owner, Valid()));

        _store.Verify(s => s.CreateAsync(It.IsAny<Clone>(), It.IsAny<CancellationToken>()), Times.Exactly(6));
    }

    [Fact]
    public async Task AnExplicitSlugThatIsTakenIsAConflictWithoutRetry()
    {
        Seed();

        await Assert.ThrowsAsync<ConflictException>(() => _service.CreateAsync(Owner, Valid() with { Slug = "ada" }));

        _store.Verify(s => s.CreateAsync(It.IsAny<Clone>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    // ---- read

    [Fact]
    public async Task ADraftIsHiddenFromEveryoneButItsOwnerAndAdmins()
    {
        Seed(CloneStatus.Draft);

        await Assert.ThrowsAsync<NotFoundException>(() => _service.GetAsync(null, "c1"));
        await Assert.ThrowsAsync<NotFoundException>(() => _service.GetAsync(Stranger, "c1"));
        Assert.Equal("c1", (await _service.GetAsync(Owner, "c1")).Id);
        Assert.Equal("c1", (await _service.GetAsync(Admin, "c1")).Id);
    }

    [Fact]
    public async Task APublishedCloneIsFoundByAnyoneByIdOrByItsSlugInAnyCase()
    {
        Seed(CloneStatus.Published);

        Assert.Equal("c1", (await _service.GetAsync(null, "c1")).Id);
        Assert.Equal("c1", (await _service.GetAsync(null, "ADA")).Id);
    }

    // ---- update

    [Fact]
    public async Task AnotherUserEditingAPublishedCloneIsForbidden()
    {
        Seed(CloneStatus.Published);

        await Assert.ThrowsAsync<ForbiddenException>(() => _service.UpdateAsync(Stranger, "c1", new CloneInput(Name: "Mine now")));

        VerifyNothingWritten();
    }

    [Fact]
    public async Task AnotherUserEditingADraftIsToldItDoesNotExist()
    {
        Seed(CloneStatus.Draft);

        await Assert.ThrowsAsync<NotFoundException>(() => _service.UpdateAsync(Stranger, "c1", new CloneInput(Name: "Mine now")));

        VerifyNothingWritten();
    }

    [Fact]
    public async Task AnAdminCanEditSomeoneElsesClone()
    {
        Seed(CloneStatus.Draft);

        var updated = await _service.UpdateAsync(Admin, "c1", new CloneInput(Tagline: "Moderated"));

        Assert.Equal("Moderated", updated.Tagline);
        Assert.Equal("owner", updated.OwnerId);
    }

    [Fact]
    public async Task EditingAMissingCloneIsNotFound()
    {
        await Assert.ThrowsAsync<NotFoundException>(() => _service.UpdateAsync(Owner, "nope", new CloneInput(Name: "x")));
    }

    [Fact]
    public async Task AnEditChangesOnlyTheFieldsGiven()
    {
        Seed();
        _time.Advance(TimeSpan.FromMinutes(5));

        var updated = await _service.UpdateAsync(Owner, "c1", new CloneInput(Persona: new PersonaInput(Tone: "direct"), Pricing: new PricingInput(Currency: "GBP")));

        Assert.Equal("Ada", updated.Name);
        Assert.Equal("Hello!", updated.Persona.Greeting);
        Assert.Equal("direct", updated.Persona.Tone);
        Assert.Equal(50, updated.Pricing.PerMinute);
        Assert.Equal("GBP", updated.Pricing.Currency);
        Assert.Equal(_time.Start.AddMinutes(5), updated.UpdatedAt);
        _store.Verify(s => s.ReplaceAsync(It.IsAny<Clone>(), null, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task APriceCanBeClearedExplicitly()
    {
        Seed();

        var updated = await _service.UpdateAsync(Owner, "c1", new CloneInput(Pricing: new PricingInput(ClearPerMinute: true)));

        Assert.Null(updated.Pricing.PerMinute);
        Assert.Equal(10, updated.Pricing.PerMessage);
    }

    [Fact]
    public async Task ClearingEveryPriceOfAPublishedCloneIsRejected()
    {
        Seed(CloneStatus.Published);

        var e = await Assert.ThrowsAsync<ValidationException>(() =>
            _service.UpdateAsync(Owner, "c1", new CloneInput(Pricing: new PricingInput(ClearPerMinute: true, ClearPerMessage: true))));

        Assert.Contains("pricing", e.Errors.Keys);
        VerifyNothingWritten();
    }

    [Fact]
    public async Task ChangingTheSlugHandsThePreviousOneToTheStore()
    {
        Seed();

        var updated = await _service.UpdateAsync(Owner, "c1", new CloneInput(Slug: "ada-lovelace"));

        Assert.Equal("ada-lovelace", updated.Slug);
        _store.Verify(s => s.ReplaceAsync(It.Is<Clone>(c => c.Slug == "ada-lovelace"), "ada", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task AnInvalidEditIsRejectedPerField()
    {
        Seed();

        var e = await Assert.ThrowsAsync<ValidationException>(() =>
            _service.UpdateAsync(Owner, "c1", new CloneInput(Name: " ", Category: "astrology", Persona: new PersonaInput(Tone: "grumpy"))));

        Assert.Equal(["category", "name", "persona.tone"], e.Errors.Keys.Order(StringComparer.Ordinal));
        VerifyNothingWritten();
    }

    // ---- publish

    [Fact]
    public async Task PublishingAnEmptyDraftListsEverythingThatIsMissing()
    {
        _clones["c1"] = new Clone { Id = "c1", Slug = "ada", OwnerId = "owner", Name = "Ada", Category = "science" };

        var e = await Assert.ThrowsAsync<ValidationException>(() => _service.PublishAsync(Owner, "c1"));

        Assert.Equal(["description", "persona.greeting", "persona.instructions", "pricing", "status"], e.Errors.Keys.Order(StringComparer.Ordinal));
        VerifyNothingWritten();
    }

    [Fact]
    public async Task PublishingACloneWithoutAPriceIsRejected()
    {
        Seed(pricing: new Pricing());

        var e = await Assert.ThrowsAsync<ValidationException>(() => _service.PublishAsync(Owner, "c1"));

        Assert.Equal(["pricing", "status"], e.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(50L, null)]
    [InlineData(null, 10L)]
    [InlineData(0L, null)]
    public async Task APricePerMinuteOrPerMessageIsEnoughToPublish(long? perMinute, long? perMessage)
    {
        Seed(pricing: new Pricing { PerMinute = perMinute, PerMessage = perMessage });

        var published = await _service.PublishAsync(Owner, "c1");

        Assert.Equal(CloneStatus.Published, published.Status);
        Assert.Equal(_time.Start, published.PublishedAt);
    }

    [Fact]
    public async Task PublishingAPublishedCloneChangesNothing()
    {
        Seed(CloneStatus.Published);

        var clone = await _service.PublishAsync(Owner, "c1");

        Assert.Equal(_time.Start.AddDays(-1), clone.PublishedAt);
        VerifyNothingWritten();
    }

    [Fact]
    public async Task AnotherUserCannotPublishOrUnpublish()
    {
        Seed(CloneStatus.Draft);
        await Assert.ThrowsAsync<NotFoundException>(() => _service.PublishAsync(Stranger, "c1"));

        Seed(CloneStatus.Published);
        await Assert.ThrowsAsync<ForbiddenException>(() => _service.UnpublishAsync(Stranger, "c1"));

        VerifyNothingWritten();
    }

    [Fact]
    public async Task UnpublishingReturnsTheCloneToDraftAndKeepsItsFirstPublicationDate()
    {
        Seed(CloneStatus.Published);

        var clone = await _service.UnpublishAsync(Owner, "c1");

        Assert.Equal(CloneStatus.Draft, clone.Status);
        Assert.Equal(_time.Start.AddDays(-1), clone.PublishedAt);
    }

    // ---- delete

    [Fact]
    public async Task DeletingIsSoftTheRecordIsKeptWithStatusDeleted()
    {
        Seed(CloneStatus.Published);

        await _service.DeleteAsync(Owner, "c1");

        _store.Verify(s => s.ReplaceAsync(It.Is<Clone>(c => c.Id == "c1" && c.Status == CloneStatus.Deleted), null, It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal(CloneStatus.Deleted, _clones["c1"].Status);
    }

    [Fact]
    public async Task ADeletedCloneIsNotFoundForEveryoneIncludingItsOwnerAndAdmins()
    {
        Seed(CloneStatus.Published);
        await _service.DeleteAsync(Owner, "c1");

        foreach (var caller in new[] { null, Owner, Admin, Stranger })
            await Assert.ThrowsAsync<NotFoundException>(() => _service.GetAsync(caller, "c1"));
        await Assert.ThrowsAsync<NotFoundException>(() => _service.UpdateAsync(Owner, "c1", new CloneInput(Name: "Back")));
        await Assert.ThrowsAsync<NotFoundException>(() => _service.PublishAsync(Admin, "c1"));
        await Assert.ThrowsAsync<NotFoundException>(() => _service.DeleteAsync(Owner, "c1"));
    }

    [Fact]
    public async Task AnotherUserCannotDeleteAPublishedClone()
    {
        Seed(CloneStatus.Published);

        await Assert.ThrowsAsync<ForbiddenException>(() => _service.DeleteAsync(Stranger, "c1"));

        Assert.Equal(CloneStatus.Published, _clones["c1"].Status);
    }

    // ---- search

    public static TheoryData<string, string> InvalidSearches => new()
    {
        { "pageSize=0", "pageSize" },
        { "pageSize=51", "pageSize" },
        { "minRating=-1", "minRating" },
        { "minRating=5.5", "minRating" },
        { "minRating=NaN", "minRating" },
        { "minPrice=-1", "minPrice" },
        { "maxPrice=huge", "maxPrice" },
        { "maxPrice<minPrice", "maxPrice" },
        { "sort=cheapest", "sort" },
        { "category=astrology", "category" },
        { "q=long", "q" },
    };

    private static MarketplaceQuery InvalidSearch(string what) => what switch
    {
        "pageSize=0" => new() { PageSize = 0 },
        "pageSize=51" => new() { PageSize = CloneService.MaxPageSize + 1 },
        "minRating=-1" => new() { MinRating = -1 },
        "minRating=5.5" => new() { MinRating = 5.5 },
        "minRating=NaN" => new() { MinRating = double.NaN },
        "minPrice=-1" => new() { MinPrice = -1 },
        "maxPrice=huge" => new() { MaxPrice = CloneService.MaxPrice + 1 },
        "maxPrice<minPrice" => new() { MinPrice = 500, MaxPrice = 100 },
        "sort=cheapest" => new() { Sort = "cheapest" },
        "category=astrology" => new() { Category = "astrology" },
        "q=long" => new() { Query = new string('q', CloneService.MaxQuery + 1) },
        _ => throw new ArgumentOutOfRangeException(nameof(what)),
    };

    [Theory]
    [MemberData(nameof(InvalidSearches))]
    public async Task AnInvalidSearchIsRejectedOnTheOffendingParameter(string what, string field)
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => _service.SearchAsync(InvalidSearch(what)));

        Assert.Equal([field], e.Errors.Keys);
        _store.Verify(s => s.SearchPublishedAsync(It.IsAny<MarketplaceQuery>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData("  tutor ", null, "tutor", MarketplaceSort.Relevance)]
    [InlineData(null, null, null, MarketplaceSort.Popular)]
    [InlineData("   ", null, null, MarketplaceSort.Popular)]
    [InlineData(null, MarketplaceSort.Relevance, null, MarketplaceSort.Popular)]
    [InlineData("tutor", MarketplaceSort.Newest, "tutor", MarketplaceSort.Newest)]
    public async Task TheSortDefaultsToRelevanceOnlyWhenThereIsAQuery(string? q, string? sort, string? expectedQuery, string expectedSort)
    {
        await _service.SearchAsync(new MarketplaceQuery { Query = q, Sort = sort, Category = "science", MinRating = 4 });

        _store.Verify(s => s.SearchPublishedAsync(
            It.Is<MarketplaceQuery>(m => m.Query == expectedQuery && m.Sort == expectedSort && m.Category == "science" && m.MinRating == 4),
            It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(51)]
    public async Task ListingMyClonesChecksThePageSize(int pageSize)
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => _service.ListMineAsync(Owner, pageSize, null));

        Assert.Equal(["pageSize"], e.Errors.Keys);
    }

    [Fact]
    public async Task ListingMyClonesAsksTheStoreForTheCallersOwnOnly()
    {
        await _service.ListMineAsync(Owner, 10, "next");

        _store.Verify(s => s.ListByOwnerAsync("owner", 10, "next", It.IsAny<CancellationToken>()), Times.Once);
    }
}
