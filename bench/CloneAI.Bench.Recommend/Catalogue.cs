using CloneAI.Core.Domain;
using CloneAI.Core.Recommendations;

namespace CloneAI.Bench.Recommend;

/// <summary>A taste cluster: a category, the roles its clones take and the topic words their profiles are written from.</summary>
sealed record Cluster(string Category, string[] Roles, string[] Words);

/// <summary>A generated user: their taste (cluster weights) and their uses in order; the last one is held out.</summary>
sealed record GeneratedUser(string Id, IReadOnlyList<(int Cluster, double Weight)> Taste, IReadOnlyList<CloneUse> Uses);

sealed record World(IReadOnlyList<Clone> Clones, IReadOnlyList<int> ClusterOf, IReadOnlyList<GeneratedUser> Users);

/// <summary>
/// The generated marketplace: <c>clones</c> clones over 20 taste clusters (two per category), each profile written from its
/// cluster's topic words with a little noise from another cluster, and a Zipf-like latent popularity; users with one to three
/// taste clusters (mixed weights) who pick clones of their clusters by popularity, and a random popular clone one time in five.
/// </summary>
static class Catalogue
{
    public static readonly Cluster[] Clusters =
    [
        new("science", ["Astronomer", "Stargazer", "Astrophysicist"], ["stars", "galaxies", "telescopes", "planets", "nebulae", "orbits", "cosmology", "comets", "supernovae", "exoplanets", "gravity", "eclipses"]),
        new("science", ["Biologist", "Geneticist", "Naturalist"], ["cells", "genetics", "evolution", "DNA", "proteins", "ecology", "microbes", "enzymes", "species", "fossils", "photosynthesis", "mutations"]),
        new("technology", ["Software Engineer", "Programmer", "Software Architect"], ["code", "compilers", "databases", "APIs", "testing", "refactoring", "algorithms", "debugging", "microservices", "Kubernetes", "Python", "TypeScript"]),
        new("technology", ["Electronics Engineer", "Maker", "Robotics Tinkerer"], ["circuits", "soldering", "microcontrollers", "sensors", "Arduino", "batteries", "motors", "robots", "PCBs", "voltage", "firmware", "drones"]),
        new("business", ["Founder", "Startup Mentor", "Product Strategist"], ["fundraising", "pitch decks", "venture capital", "MVPs", "growth", "customers", "pricing", "product-market fit", "founders", "equity", "roadmaps", "startups"]),
        new("business", ["Marketer", "Brand Strategist", "Growth Marketer"], ["branding", "advertising", "SEO", "campaigns", "social media", "funnels", "copywriting", "audiences", "conversion", "newsletters", "influencers", "analytics"]),
        new("health", ["Personal Trainer", "Running Coach", "Strength Coach"], ["workouts", "running", "marathons", "strength", "cardio", "stretching", "muscles", "endurance", "squats", "intervals", "recovery", "training plans"]),
        new("health", ["Nutritionist", "Dietitian", "Healthy Cook"], ["diets", "protein", "vitamins", "meals", "calories", "recipes", "vegetables", "fasting", "gut health", "sugar", "hydration", "supplements"]),
        new("education", ["Math Tutor", "Calculus Teacher", "Statistics Coach"], ["algebra", "calculus", "geometry", "equations", "fractions", "proofs", "probability", "statistics", "derivatives", "integrals", "trigonometry", "exams"]),
        new("education", ["Language Tutor", "Spanish Teacher", "Grammar Coach"], ["vocabulary", "grammar", "pronunciation", "Spanish", "French", "conversation", "verbs", "fluency", "reading", "writing", "accents", "idioms"]),
        new("finance", ["Investor", "Portfolio Adviser", "Stock Analyst"], ["stocks", "bonds", "dividends", "portfolios", "index funds", "ETFs", "valuation", "compounding", "risk", "retirement", "markets", "asset allocation"]),
        new("finance", ["Budget Coach", "Debt Adviser", "Money Mentor"], ["budgets", "savings", "debt", "credit cards", "expenses", "emergency funds", "loans", "mortgages", "taxes", "frugality", "spending", "bills"]),
        new("creative", ["Novelist", "Poet", "Screenwriter"], ["stories", "characters", "plots", "poetry", "dialogue", "fiction", "editing", "drafts", "metaphors", "publishing", "narrative", "scenes"]),
        new("creative", ["Graphic Designer", "Illustrator", "Painter"], ["typography", "colour palettes", "sketches", "illustration", "logos", "layouts", "painting", "brushes", "composition", "portfolios", "drawing", "canvas"]),
        new("career", ["Career Coach", "Recruiter", "Interview Trainer"], ["resumes", "interviews", "job search", "LinkedIn", "salary negotiation", "hiring", "cover letters", "networking", "job offers", "promotions", "references", "career changes"]),
        new("career", ["Leadership Coach", "Executive Mentor", "Team Manager"], ["leadership", "management", "feedback", "delegation", "teams", "meetings", "motivation", "conflict", "culture", "decisions", "mentoring", "one-on-ones"]),
        new("law", ["Contract Lawyer", "Attorney", "Legal Adviser"], ["contracts", "clauses", "liability", "agreements", "leases", "disputes", "signatures", "breach", "terms", "warranties", "indemnity", "small claims"]),
        new("law", ["Policy Analyst", "Civic Educator", "Constitutional Scholar"], ["legislation", "policy", "elections", "the constitution", "rights", "courts", "regulation", "government", "voting", "democracy", "parliament", "reform"]),
        new("lifestyle", ["Home Cook", "Baker", "Chef"], ["baking", "bread", "pasta", "sauces", "knives", "spices", "grilling", "pastry", "dough", "kitchens", "ovens", "flavours"]),
        new("lifestyle", ["Gardener", "Plant Doctor", "Landscaper"], ["plants", "soil", "compost", "seeds", "flowers", "pruning", "watering", "roses", "herbs", "lawns", "greenhouses", "vegetable beds"]),
    ];

    private static readonly string[] FirstNames = ["Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kaito", "Lina", "Mara", "Nils", "Olu", "Priya", "Quinn", "Rosa", "Sam", "Tara"];
    private static readonly string[] LastNames = ["Park", "Okafor", "Silva", "Novak", "Haddad", "Larsen", "Moreau", "Tanaka", "Kowalski", "Reyes", "Byrne", "Ivanova", "Mensah", "Costa", "Weber"];

    public static World Generate(int cloneCount, int userCount, double noise, Random rng)
    {
        var clones = new List<Clone>(cloneCount);
        var clusterOf = new List<int>(cloneCount);
        var t0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < cloneCount; i++)
        {
            var k = i % Clusters.Length;
            var cluster = Clusters[k];
            var words = cluster.Words.OrderBy(_ => rng.Next()).ToArray();
            var other = Clusters[(k + 1 + rng.Next(Clusters.Length - 1)) % Clusters.Length];
            var role = cluster.Roles[rng.Next(cluster.Roles.Length)];
            var name = $"{FirstNames[rng.Next(FirstNames.Length)]} {LastNames[rng.Next(LastNames.Length)]}, {role}";
            clones.Add(new Clone
            {
                Id = $"clone-{i:000}", Slug = $"clone-{i:000}", OwnerId = $"creator-{i % 40:00}", Name = name, Category = cluster.Category,
                Tagline = $"{Cap(words[0])}, {words[1]} and {words[2]}",
                Description = $"I am a {role.ToLowerInvariant()} who helps with {words[3]}, {words[4]} and {words[5]}. Ask me about {words[6]} or {words[7]}; " +
                    $"I also know a little about {other.Words[rng.Next(other.Words.Length)]}.",
                Tags = [words[0], words[3], words[8]],
                Status = CloneStatus.Published, CreatedAt = t0, UpdatedAt = t0, PublishedAt = t0,
            });
            clusterOf.Add(k);
        }
        // Latent popularity: Zipf-like over a random order of the clones.
        var popularity = new double[cloneCount];
        var order = Enumerable.Range(0, cloneCount).OrderBy(_ => rng.Next()).ToArray();
        for (var r = 0; r < cloneCount; r++) popularity[order[r]] = 1.0 / Math.Pow(r + 1, 0.8);
        var byCluster = Enumerable.Range(0, Clusters.Length).Select(k => Enumerable.Range(0, cloneCount).Where(i => clusterOf[i] == k).ToArray()).ToArray();

        var users = new List<GeneratedUser>(userCount);
        for (var u = 0; u < userCount; u++)
        {
            var tastes = rng.NextDouble() switch { < 0.4 => 1, < 0.8 => 2, _ => 3 };
            var clusters = Enumerable.Range(0, Clusters.Length).OrderBy(_ => rng.Next()).Take(tastes).ToArray();
            var weights = clusters.Select(_ => 0.2 + rng.NextDouble()).ToArray();
            var sum = weights.Sum();
            var taste = clusters.Select((c, i) => (Cluster: c, Weight: weights[i] / sum)).ToList();
            var tasteWeights = taste.Select(t => t.Weight).ToArray();
            var count = 4 + rng.Next(9);
            var chosen = new HashSet<int>();
            var uses = new List<CloneUse>(count);
            var userId = $"user-{u:0000}";
            for (var n = 0; n < count; n++)
            {
                var isNoise = rng.NextDouble() < noise;
                var pool = isNoise ? Enumerable.Range(0, cloneCount).ToArray() : byCluster[taste[Pick(tasteWeights, rng)].Cluster];
                var candidates = pool.Where(i => !chosen.Contains(i)).ToArray();
                if (candidates.Length == 0) continue;
                var clone = candidates[Pick(candidates.Select(i => popularity[i]).ToArray(), rng)];
                chosen.Add(clone);
                var sessions = 1 + (rng.NextDouble() < 0.5 ? 0 : rng.Next(1, 5));
                double? rating = rng.NextDouble() < 0.5 ? null : isNoise ? 1 + rng.Next(3) : rng.NextDouble() < 0.8 ? 4 + rng.Next(2) : 3;
                uses.Add(new CloneUse(userId, clones[clone].Id, sessions, sessions * (1 + rng.Next(6)), rating, t0.AddDays(u % 30).AddHours(n)));
            }
            users.Add(new GeneratedUser(userId, taste, uses));
        }
        return new World(clones, clusterOf, users);
    }

    private static int Pick(double[] weights, Random rng)
    {
        var x = rng.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            x -= weights[i];
            if (x <= 0) return i;
        }
        return weights.Length - 1;
    }

    private static string Cap(string s) => char.ToUpperInvariant(s[0]) + s[1..];
}
