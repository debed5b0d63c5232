using System.Text;
using System.Text.Json.Nodes;
using CloneAI.Azure.Cosmos;
using CloneAI.Core.Domain;
using CloneAI.Azure.Chat;

namespace CloneAI.Azure.Tests.Cosmos;

public sealed class CosmosSerializerTests
{
    private readonly CosmosSystemTextJsonSerializer _serializer = new();

    private JsonObject Write<T>(T value)
    {
        using var stream = _serializer.ToStream(value);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return JsonNode.Parse(reader.ReadToEnd())!.AsObject();
    }

    private T Read<T>(string json) => _serializer.FromStream<T>(new MemoryStream(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void DocumentsAreCamelCaseWithTheIdCosmosNeedsAndTheSortPriceQueriesUse()
    {
        var doc = Write(CosmosMocks.Clone(etag: "\"old\""));

        Assert.Equal("clone-1", (string?)doc["id"]);
        Assert.Equal("ada-bot", (string?)doc["slug"]);
        Assert.Equal("user-1", (string?)doc["ownerId"]);
        Assert.Equal(150, (long?)doc["sortPrice"]);
        Assert.Equal(150, (long?)doc["pricing"]!["perMinute"]);
        Assert.False(doc.ContainsKey("Id"));
    }

    [Fact]
    public void TheETagIsNeverWrittenIntoADocument()
    {
        var doc = Write(CosmosMocks.User(etag: "\"abc\""));

        Assert.False(doc.ContainsKey("eTag"));
        Assert.False(doc.ContainsKey("_etag"));
        Assert.False(doc.ContainsKey("ETag"));
    }

    [Fact]
    public void AStoredUserRoundTripsAndTakesItsETagFromTheSystemProperty()
    {
        var original = CosmosMocks.User();
        var doc = Write(original);
        doc["_etag"] = "\"00000a00-0000\"";
        doc["_rid"] = "abc==";
        doc["_ts"] = 1_700_000_000;

        var read = Read<User>(doc.ToJsonString());

        Assert.Equal(original with { ETag = "\"00000a00-0000\"" }, read with { Expertise = original.Expertise });
        Assert.Equal(["math"], read.Expertise);
    }

    [Fact]
    public void AStoredCloneRoundTripsWithItsListsAndNestedRecords()
    {
        var original = CosmosMocks.Clone() with
        {
            Persona = new Persona { Tone = "academic", TopicsToAvoid = ["politics"] },
            PublishedAt = DateTimeOffset.Parse("2025-02-03T04:05:06Z"),
        };

        var read = Read<Clone>(Write(original).ToJsonString());

        Assert.Equal(original.Tags, read.Tags);
        Assert.Equal(original.Persona.TopicsToAvoid, read.Persona.TopicsToAvoid);
        Assert.Equal(original.Pricing, read.Pricing);
        Assert.Equal(original.PublishedAt, read.PublishedAt);
        Assert.Equal(original.SortPrice, read.SortPrice);
        Assert.Null(read.ETag);
    }

    [Fact]
    public void QueryPagesDeserializeAsArrays()
    {
        var json = "[" + Write(CosmosMocks.Clone()).ToJsonString() + "," + Write(CosmosMocks.Clone("clone-2", "other")).ToJsonString() + "]";

        var page = Read<Clone[]>(json);

        Assert.Equal(["clone-1", "clone-2"], page.Select(c => c.Id));
    }

    [Fact]
    public void ASessionItemReadsItsETagFromQueryResultsAndNeverWritesOne()
    {
        var session = new Core.Chat.ChatSession { Id = "s-1", UserId = "u", CloneId = "c", CloneName = "C", OwnerId = "o", ETag = "\"mine\"" };
        var written = Write(CosmosSessionStore.Item(session));
        Assert.False(written.ContainsKey("_etag"));
        Assert.Equal("s-1", (string?)written["sessionId"]);
        Assert.Null(written["session"]!["eTag"]);

        written["_etag"] = "\"00-server\"";
        var read = Read<SessionItem>(written.ToJsonString());
        Assert.Equal("\"00-server\"", read.WithETag().ETag);
    }
}
