using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Knowledge;
using CloneAI.Core.Users;
using Microsoft.Extensions.Options;

namespace CloneAI.Local.Hosting;

/// <summary>
/// With <c>Local:Demo</c> (what <c>./run</c> sets unless <c>--no-demo</c>), a data folder that has never been seeded gets a demo
/// creator and a published demo clone whose knowledge base is the self-written documents under <c>demo/knowledge</c>, so a new
/// user can chat at once. A marker file in the data folder makes this happen once: a demo clone deleted later stays deleted.
/// </summary>
public sealed class DemoSeeder(
    IOptions<LocalOptions> options,
    IUserStore users,
    ICloneStore clones,
    CloneService cloneService,
    KnowledgeService knowledge,
    TimeProvider time,
    ILogger<DemoSeeder> logger) : BackgroundService
{
    public const string Marker = "demo.seeded";
    public const string CreatorEmail = "demo-creator@cloneai.local";
    public const string CloneSlug = "ada-lumen-astronomy";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Demo) return;
        var marker = Path.Combine(Path.GetFullPath(options.Value.DataDir), Marker);
        if (File.Exists(marker)) return;
        try
        {
            await SeedAsync(stoppingToken);
            await File.WriteAllTextAsync(marker, time.GetUtcNow().ToString("O"), stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Seeding the demo clone failed; it will be tried again at the next start");
        }
    }

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        var folder = FindDemoFolder() ?? throw new DirectoryNotFoundException("The demo documents (demo/knowledge) were not found next to the host.");
        var now = time.GetUtcNow();
        var creator = await users.FindByEmailAsync(CreatorEmail, cancellationToken) ?? await users.CreateAsync(new User
        {
            Id = Guid.NewGuid().ToString("N"),
            Email = CreatorEmail,
            DisplayName = "Dr. Ada Lumen",
            Bio = "Amateur astronomer and science writer (a demo creator; this account has no password).",
            Expertise = ["astronomy", "tides", "stargazing"],
            IsCreator = true,
            EmailVerified = true,
            CreatedAt = now,
            UpdatedAt = now,
        }, cancellationToken);
        var caller = new Caller(creator.Id, creator.Email, creator.DisplayName, IsAdmin: false, IsCreator: true);
        var clone = await clones.GetBySlugAsync(CloneSlug, cancellationToken) ?? await cloneService.CreateAsync(caller, new CloneInput(
            Name: "Ada Lumen, astronomy guide",
            Slug: CloneSlug,
            Tagline: "Tides, planets and the birth of stars, explained from my notes",
            Description: "A demo clone that ships with CloneAI. Its knowledge base is three short articles: the Moon and the tides, seeing the planets with binoculars, and how stars are born. Ask about any of them.",
            Category: "science",
            Tags: ["astronomy", "demo", "science"],
            Persona: new PersonaInput(
                Greeting: "Hello! I'm Ada. Ask me about tides, the planets you can see tonight, or how stars are born.",
                Tone: "friendly",
                AnswerLength: "medium",
                Instructions: "Explain simply and cite the article each fact comes from.",
                TopicsToAvoid: ["astrology"],
                DontKnowMessage: "I don't know that one: my notes cover tides, binocular stargazing and star formation."),
            Pricing: new PricingInput(PerMinute: 10, Currency: "USD", FreeMessages: 5)), cancellationToken);
        if (clone.Status != CloneStatus.Published) clone = await cloneService.PublishAsync(caller, clone.Id, cancellationToken);
        var files = Directory.GetFiles(folder, "*.md").Order(StringComparer.Ordinal)
            .Select(f => new IncomingFile(Path.GetFileName(f), File.ReadAllBytes(f))).ToList();
        // Already-added files come back as duplicates, so a second attempt adds only what is missing.
        await knowledge.AddFilesAsync(clone, creator.Id, files, ["demo"], cancellationToken);
        logger.LogInformation("Seeded the demo clone '{Name}' with {Count} documents", clone.Name, files.Count);
    }

    /// <summary>The demo documents: copied next to the host when it is built, else the repository's <c>demo/knowledge</c>.</summary>
    public static string? FindDemoFolder()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "demo");
        if (Directory.Exists(beside) && Directory.EnumerateFiles(beside, "*.md").Any()) return beside;
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "demo", "knowledge");
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }
}
