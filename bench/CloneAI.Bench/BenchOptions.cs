using System.Globalization;

namespace CloneAI.Bench;

public sealed class BenchOptions
{
    public const string Usage = """
        Usage: bench/run [options]
          --duration SECONDS     measured time per route (default 15)
          --warmup SECONDS       warm-up per route before measuring (default 5)
          --connections N        concurrent connections / closed-loop workers (default 64)
          --clones N             published clones to seed (default 1000)
          --in-process           host in the load generator's process (LocalHost.Build) instead of a child process
          --host-env KEY=VALUE   environment for the child host, repeatable (e.g. DOTNET_gcServer=0, DOTNET_TieredPGO=0)
          --host-dll PATH        the CloneAI.Local.dll to run (default functions/CloneAI.Local/bin/Release/net10.0)
          --no-baseline          skip the GET /api/health baseline
          --strict               exit 3 when a target is missed
          --results DIR          where the JSON goes (default bench/results)
        """;

    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(15);
    public TimeSpan Warmup { get; private set; } = TimeSpan.FromSeconds(5);
    public int Connections { get; private set; } = 64;
    public int Clones { get; private set; } = 1000;
    public bool InProcess { get; private set; }
    public bool Baseline { get; private set; } = true;
    public bool Strict { get; private set; }
    public string? HostDll { get; private set; }
    public string? ResultsDir { get; private set; }
    public List<KeyValuePair<string, string>> HostEnvironment { get; } = [];

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs a value.");
            switch (arg)
            {
                case "--duration": o.Duration = Seconds(Value(), arg); break;
                case "--warmup": o.Warmup = Seconds(Value(), arg); break;
                case "--connections": o.Connections = Positive(Value(), arg); break;
                case "--clones": o.Clones = Positive(Value(), arg); break;
                case "--in-process": o.InProcess = true; break;
                case "--no-baseline": o.Baseline = false; break;
                case "--strict": o.Strict = true; break;
                case "--host-dll": o.HostDll = Path.GetFullPath(Value()); break;
                case "--results": o.ResultsDir = Path.GetFullPath(Value()); break;
                case "--host-env":
                    var kv = Value();
                    var eq = kv.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0) throw new ArgumentException("--host-env takes KEY=VALUE.");
                    o.HostEnvironment.Add(new(kv[..eq], kv[(eq + 1)..]));
                    break;
                default: throw new ArgumentException($"Unknown option {arg}.");
            }
        }
        if (o.InProcess && o.HostEnvironment.Count > 0) throw new ArgumentException("--host-env applies to the child-process host only.");
        return o;
    }

    /// <summary>The folder holding CloneAI.sln, found from the working folder or the executable.</summary>
    public static string RepositoryRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "CloneAI.sln"))) return dir.FullName;
        }
        return Environment.CurrentDirectory;
    }

    private static TimeSpan Seconds(string value, string name) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 && s <= 3600
            ? TimeSpan.FromSeconds(s)
            : throw new ArgumentException($"{name} takes a number of seconds.");

    private static int Positive(string value, string name) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 && n <= 100_000
            ? n
            : throw new ArgumentException($"{name} takes a positive whole number.");
}
