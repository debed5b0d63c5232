using Azure;
using Azure.Core;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Knowledge;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using CloneAI.Azure.Blobs;
using CloneAI.Azure.Knowledge;

namespace CloneAI.Azure.Tests.Blob;

/// <summary>
/// Signing a SAS is local computation, so these run without a storage account: a client built from the well-known Azurite
/// connection string signs with its shared key, and a mocked client hands out a user delegation key.
/// </summary>
public sealed class SasUploadUrlIssuerTests
{
    private const string Azurite = "UseDevelopmentStorage=true";
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2025-03-01T12:00:00Z");

    private readonly Mock<IDocumentStore> _documents = new(MockBehavior.Strict);
    private readonly List<KnowledgeDocument> _created = [];
    private readonly KnowledgeOptions _knowledge = new() { MaxFileBytes = 1024 * 1024, UploadUrlMinutes = 15 };

    public SasUploadUrlIssuerTests() =>
        _documents.Setup(d => d.CreateAsync(It.IsAny<KnowledgeDocument>(), It.IsAny<CancellationToken>()))
            .Callback((KnowledgeDocument d, CancellationToken _) => _created.Add(d))
            .ReturnsAsync((KnowledgeDocument d, CancellationToken _) => d with { ETag = "\"d1\"" });

    private SasUploadUrlIssuer Issuer(BlobServiceClient service) =>
        new(service, Options.Create(new BlobOptions { ConnectionString = Azurite }), Options.Create(_knowledge), _documents.Object, new FakeTimeProvider(Now));

    private SasUploadUrlIssuer AzuriteIssuer() => Issuer(new BlobServiceClient(Azurite));

    private static Clone Clone() => new()
    {
        Id = "clone-1",
        Slug = "ada-bot",
        OwnerId = "user-1",
        Name = "Ada Bot",
        Category = "science",
    };

    [Fact]
    public async Task AnUploadGetsARecordAndAWriteOnlyUrlForItsOwnBlob()
    {
        var ticket = await AzuriteIssuer().IssueAsync(Clone(), "user-1", "Lecture notes.PDF", 2048, [" Math ", "math", "History"]);

        var document = Assert.Single(_created);
        Assert.Equal(("clone-1", "user-1", "Lecture notes.PDF", "Lecture notes", DocumentKinds.Pdf, 2048L),
            (document.CloneId, document.OwnerId, document.FileName, document.Title, document.Kind, document.Size));
        Assert.Equal(32, document.Id.Length);
        Assert.Equal($"knowledge/clone-1/{document.Id}/Lecture notes.PDF", document.BlobPath);
        Assert.Equal($"pending:{document.Id}", document.Sha256);
        Assert.Equal((DocumentStatus.Uploaded, IngestionStage.Queued), (document.Status, document.Stage));
        Assert.Equal(["math", "history"], document.Tags);
        Assert.Equal((Now, Now), (document.CreatedAt, document.UpdatedAt));
        Assert.Equal("\"d1\"", ticket.Document.ETag);

        Assert.Equal(Now.AddMinutes(15), ticket.ExpiresAt);
        var url = new BlobUriBuilder(ticket.UploadUrl);
        Assert.Equal(("127.0.0.1", 10000, "devstoreaccount1"), (ticket.UploadUrl.Host, ticket.UploadUrl.Port, url.AccountName));
        Assert.Equal(("cloneai", document.BlobPath), (url.BlobContainerName, url.BlobName));
        Assert.Contains("sp=cw", ticket.UploadUrl.Query, StringComparison.Ordinal);
        Assert.Equal("cw", url.Sas.Permissions);
        Assert.Equal("b", url.Sas.Resource);
        Assert.Equal(Now.AddMinutes(15), url.Sas.ExpiresOn);
        Assert.Equal(Now.AddMinutes(-5), url.Sas.StartsOn);
        Assert.False(string.IsNullOrEmpty(url.Sas.Signature));
        Assert.True(string.IsNullOrEmpty(url.Sas.KeyObjectId));
    }

    [Fact]
    public async Task TheSignatureIsTheAccountKeysSignatureOfExactlyThisBlobAndPermission()
    {
        var service = new BlobServiceClient(Azurite);

        var ticket = await Issuer(service).IssueAsync(Clone(), "user-1", "notes.md", 10, []);

        var document = Assert.Single(_created);
        var expected = service.GetBlobContainerClient("cloneai").GetBlobClient(document.BlobPath).GenerateSasUri(
            new BlobSasBuilder(BlobSasPermissions.Create | BlobSasPermissions.Write, Now.AddMinutes(15))
            {
                BlobContainerName = "cloneai",
                BlobName = document.BlobPath,
                Resource = "b",
                StartsOn = Now.AddMinutes(-5),
                Protocol = SasProtocol.HttpsAndHttp,
            });
        Assert.Equal(expected, ticket.UploadUrl);
    }

    [Theory]
    [InlineData("notes.txt", DocumentKinds.Txt)]
    [InlineData("notes.md", DocumentKinds.Md)]
    [InlineData("notes.markdown", DocumentKinds.Md)]
    [InlineData("page.html", DocumentKinds.Html)]
    [InlineData("page.HTM", DocumentKinds.Html)]
    [InlineData("report.docx", DocumentKinds.Docx)]
    public async Task TheKindComesFromTheExtension(string fileName, string kind)
    {
        await AzuriteIssuer().IssueAsync(Clone(), "user-1", fileName, 10, []);

        Assert.Equal(kind, Assert.Single(_created).Kind);
    }

    [Theory]
    [InlineData("../../etc/passwd.md", "passwd.md")]
    [InlineData("..\\..\\windows\\notes.txt", "notes.txt")]
    [InlineData("C:\\Users\\ada\\Desktop\\talk.pdf", "talk.pdf")]
    [InlineData("%2e%2e%2fsecret.txt", "%2e%2e%2fsecret.txt")]
    public async Task PathsAreStrippedSoTheBlobStaysInTheDocumentsFolder(string fileName, string stored)
    {
        var ticket = await AzuriteIssuer().IssueAsync(Clone(), "user-1", fileName, 10, []);

        var document = Assert.Single(_created);
        Assert.Equal(stored, document.FileName);
        Assert.Equal($"knowledge/clone-1/{document.Id}/{stored}", new BlobUriBuilder(ticket.UploadUrl).BlobName);
        Assert.DoesNotContain("..", ticket.UploadUrl.AbsolutePath, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../..")]
    [InlineData("../")]
    [InlineData("evil.exe")]
    [InlineData("archive.tar.gz")]
    [InlineData("notes.pdf.exe")]
    [InlineData("README")]
    [InlineData("   ")]
    [InlineData(null)]
    public async Task NamesThatAreNotASupportedDocumentAreRejectedAndNothingIsStored(string? fileName)
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => AzuriteIssuer().IssueAsync(Clone(), "user-1", fileName, 10, []));

        Assert.Contains("fileName", e.Errors.Keys);
        Assert.Empty(_created);
    }

    [Fact]
    public async Task AFileOverTheLimitIsTooLargeAndNothingIsStored()
    {
        var e = await Assert.ThrowsAsync<PayloadTooLargeException>(() =>
            AzuriteIssuer().IssueAsync(Clone(), "user-1", "big.pdf", _knowledge.MaxFileBytes + 1, []));

        Assert.Equal(413, e.Status);
        Assert.Empty(_created);
    }

    [Fact]
    public async Task AFileExactlyAtTheLimitIsAccepted()
    {
        await AzuriteIssuer().IssueAsync(Clone(), "user-1", "big.pdf", _knowledge.MaxFileBytes, []);

        Assert.Single(_created);
    }

    [Fact]
    public async Task AnUnknownSizeIsLeftForIngestionToCheck()
    {
        await AzuriteIssuer().IssueAsync(Clone(), "user-1", "notes.md", null, []);

        Assert.Equal(0, Assert.Single(_created).Size);
    }

    [Fact]
    public async Task AnEmptyFileAndBadTagsAreValidationErrors()
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() =>
            AzuriteIssuer().IssueAsync(Clone(), "user-1", "notes.md", 0, [.. Enumerable.Range(0, 21).Select(i => $"t{i}"), "", new string('x', 41)]));

        Assert.Equal(["size", "tags"], e.Errors.Keys.Order());
        Assert.Equal(2, e.Errors["tags"].Length);
        Assert.Empty(_created);
    }

    [Fact]
    public async Task WithoutASharedKeyTheUrlIsAUserDelegationSasAndTheKeyIsReused()
    {
        var service = new Mock<BlobServiceClient>(new Uri("https://cloneaitest.blob.core.windows.net"), Mock.Of<TokenCredential>(), new BlobClientOptions()) { CallBase = true };
        var key = BlobsModelFactory.UserDelegationKey("33333333-3333-3333-3333-333333333333", "11111111-1111-1111-1111-111111111111",
            Now.AddMinutes(-5), Now.AddHours(6), "b", "2025-01-05", Convert.ToBase64String(new byte[32]));
        service.Setup(s => s.GetUserDelegationKeyAsync(Now.AddMinutes(-5), Now.AddHours(6), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Response.FromValue(key, Mock.Of<Response>()));
        var issuer = Issuer(service.Object);

        var first = await issuer.IssueAsync(Clone(), "user-1", "notes.md", 10, []);
        var second = await issuer.IssueAsync(Clone(), "user-1", "more.md", 10, []);

        service.Verify(s => s.GetUserDelegationKeyAsync(It.IsAny<DateTimeOffset?>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Once);
        var url = new BlobUriBuilder(first.UploadUrl);
        Assert.Equal("https", first.UploadUrl.Scheme);
        Assert.Equal(("cloneaitest", "cloneai", _created[0].BlobPath), (url.AccountName, url.BlobContainerName, url.BlobName));
        Assert.Equal("cw", url.Sas.Permissions);
        Assert.Equal(SasProtocol.Https, url.Sas.Protocol);
        Assert.Equal("33333333-3333-3333-3333-333333333333", url.Sas.KeyObjectId);
        Assert.Equal(Now.AddMinutes(15), url.Sas.ExpiresOn);
        Assert.Equal(_created[1].BlobPath, new BlobUriBuilder(second.UploadUrl).BlobName);
    }

    [Fact]
    public async Task WhenTheDelegationKeyIsRefusedNoRecordIsLeftBehind()
    {
        var service = new Mock<BlobServiceClient>(new Uri("https://cloneaitest.blob.core.windows.net"), Mock.Of<TokenCredential>(), new BlobClientOptions()) { CallBase = true };
        service.Setup(s => s.GetUserDelegationKeyAsync(It.IsAny<DateTimeOffset?>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(403, "AuthorizationPermissionMismatch"));

        await Assert.ThrowsAsync<RequestFailedException>(() => Issuer(service.Object).IssueAsync(Clone(), "user-1", "notes.md", 10, []));

        Assert.Empty(_created);
    }
}
