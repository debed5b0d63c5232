using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using CloneAI.Eval;
using MimeKit;

// Retrieval evaluation through the product's own API: upload a JSONL corpus as <id>.txt documents to a new clone, wait for
// Ready, ask every query in keyword, vector and hybrid mode, and score the cited ranges against labelled answer spans.
args = CrossValidationOptions.Take(args, out var crossValidation);
var options = EvalOptions.Parse(args);
if (options is null) return 2;

var repo = FindRepo();
// A kept, ingested data folder (--data DIR --clone ID) needs no host for cross-validation.
if (crossValidation is not null && options.DataDir is not null && options.CloneId is not null && options.Url is null)
    return await RetrievalGrid.RunAsync(options.DataDir, options.CloneId, options.Queries, crossValidation, repo);
Process? host = null;
string? dataDir = null;
var baseUrl = options.Url;
if (baseUrl is null)
{
    dataDir = options.DataDir ?? Path.Combine(Path.GetTempPath(), "cloneai-eval-" + Guid.NewGuid().ToString("N")[..8]);
    var port = FreePort();
    baseUrl = $"http://127.0.0.1:{port}";
    var dll = Path.Combine(repo, "functions/CloneAI.Local/bin/Release/net10.0/CloneAI.Local.dll");
    if (!File.Exists(dll)) { Console.Error.WriteLine($"Build the local host first: {dll} is missing (./eval builds it)."); return 2; }
    var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = repo };
    foreach (var a in new[] { dll, "--data", dataDir, "--urls", baseUrl }) start.ArgumentList.Add(a);
    start.Environment["Logging__LogLevel__Default"] = "Warning";
    // The eval reads whole answers: the extractive responder need not pause between streamed words.
    start.Environment["Chat__ExtractiveWordDelayMs"] = "0";
    // One eval user uploads the whole corpus and asks every question: per-user rate limits are for people.
    start.Environment["RateLimits__ChatMessagesPerMinute"] = "0";
    start.Environment["RateLimits__UploadsPerMinute"] = "0";
    start.Environment["RateLimits__SessionsPerMinute"] = "0";
    start.Environment["RateLimits__ClonesPerHour"] = "0";
    start.Environment["RateLimits__EmbeddingCharactersPerDay"] = "0";
    host = Process.Start(start)!;
    host.OutputDataReceived += (_, _) => { };
    host.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line && options.Verbose) Console.Error.WriteLine("host: " + line); };
    host.BeginOutputReadLine();
    host.BeginErrorReadLine();
    Console.WriteLine($"started a temporary local host at {baseUrl} (pid {host.Id}, data {dataDir})");
}

try
{
    using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(5) };
    await WaitHealthyAsync(http);

    // An account that can create a clone.
    string token;
    if (options.Email is not null)
    {
        token = await LoginAsync(http, options.Email, options.Password!);
    }
    else
    {
        if (dataDir is null) { Console.Error.WriteLine("With --url, give --email and --password of a verified account."); return 2; }
        // One evaluator account per data folder, so that a kept folder can be evaluated again (--data, --clone).
        const string email = "evaluator@cloneai.eval";
        const string password = "evaluation password 1";
        var signup = await http.PostAsJsonAsync("/api/auth/signup", new { email, password, displayName = "Retrieval Evaluator" });
        if (signup.IsSuccessStatusCode)
        {
            var link = ReadVerificationToken(dataDir, email);
            await Ok(http.PostAsJsonAsync("/api/auth/verify", new { token = link }));
        }
        token = await LoginAsync(http, email, password);
    }
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    await Ok(http.PostAsync("/api/me/creator", null));
    var cloneId = options.CloneId ?? (await Json(await Ok(http.PostAsJsonAsync("/api/clones", new { name = "Eval " + Path.GetFileNameWithoutExtension(options.Corpus) + " " + DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture), category = "science" })))).GetProperty("id").GetString()!;
    Console.WriteLine($"clone {cloneId}" + (dataDir is null ? "" : $", data {dataDir}"));

    // Upload the corpus.
    var corpus = File.ReadLines(options.Corpus).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement)
        .Select(e => (Id: e.GetProperty("id").GetString()!, Text: e.GetProperty("text").GetString()!)).ToList();
    if (options.Limit is { } limit) corpus = corpus.Take(limit).ToList();
    Console.WriteLine($"uploading {corpus.Count} documents ({corpus.Sum(c => (long)c.Text.Length):N0} characters) to clone {cloneId}");
    var clock = Stopwatch.StartNew();
    var docToCorpus = new Dictionary<string, string>(StringComparer.Ordinal);
    foreach (var d in options.CloneId is null ? [] : await ListAllAsync(http, cloneId))
        docToCorpus[d.GetProperty("id").GetString()!] = Path.GetFileNameWithoutExtension(d.GetProperty("fileName").GetString()!);
    foreach (var batch in options.CloneId is null ? corpus.Chunk(10) : [])
    {
        using var form = new MultipartFormDataContent();
        foreach (var (id, text) in batch)
        {
            var file = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(text));
            file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            form.Add(file, "files", id + ".txt");
        }
        var added = await Json(await Ok(http.PostAsync($"/api/clones/{cloneId}/documents", form)));
        foreach (var d in added.GetProperty("items").EnumerateArray())
            docToCorpus[d.GetProperty("id").GetString()!] = Path.GetFileNameWithoutExtension(d.GetProperty("fileName").GetString()!);
    }
    var uploaded = clock.Elapsed;

    // Wait for Ready.
    var lastReport = TimeSpan.Zero;
    // Wall-clock window of each stage: from the first poll that saw a document in it to the last one.
    var stageWindows = new Dictionary<string, (double First, double Last)>(StringComparer.Ordinal);
    while (true)
    {
        var docs = await ListAllAsync(http, cloneId);
        var polled = clock.Elapsed.TotalSeconds;
        foreach (var d in docs)
            if (d.GetProperty("status").GetString() == "processing" && d.TryGetProperty("stage", out var st) && st.GetString() is { } stageName)
                stageWindows[stageName] = stageWindows.TryGetValue(stageName, out var w) ? (w.First, polled) : (polled, polled);
        var ready = docs.Count(d => d.GetProperty("status").GetString() == "ready");
        var failed = docs.Where(d => d.GetProperty("status").GetString() == "failed").ToList();
        if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(10))
        {
            Console.WriteLine($"  {clock.Elapsed.TotalSeconds,6:F0} s: {ready}/{docs.Count} ready, {failed.Count} failed");
            lastReport = clock.Elapsed;
        }
        if (ready + failed.Count == docs.Count && docs.Count == corpus.Count)
        {
            foreach (var f in failed) Console.WriteLine($"  failed: {f.GetProperty("fileName").GetString()}: {f.GetProperty("error").GetString()}");
            break;
        }
        if (clock.Elapsed > TimeSpan.FromSeconds(options.TimeoutSeconds)) { Console.Error.WriteLine("Timed out waiting for ingestion."); return 1; }
        await Task.Delay(500);
    }
    var ingestion = clock.Elapsed;
    var stats = await Json(await Ok(http.GetAsync($"/api/clones/{cloneId}/knowledge/stats")));
    var chunkCount = stats.GetProperty("chunks").GetInt32();
    Console.WriteLine($"ingestion: {ingestion.TotalSeconds:F1} s wall ({uploaded.TotalSeconds:F1} s uploading), {chunkCount:N0} chunks ({chunkCount / ingestion.TotalSeconds:F1} chunks/s), {stats.GetProperty("tokens").GetInt64():N0} tokens, model {stats.GetProperty("currentModel").GetProperty("model").GetString()}");
    var stageTotals = new SortedDictionary<string, double>(StringComparer.Ordinal);
    foreach (var d in await ListAllAsync(http, cloneId))
        foreach (var stage in d.GetProperty("stageSeconds").EnumerateObject())
            stageTotals[stage.Name] = stageTotals.GetValueOrDefault(stage.Name) + stage.Value.GetDouble();
    Console.WriteLine("time per stage: summed over documents (time inside the activity, including waits for the shared model), and the");
    Console.WriteLine("wall-clock window in which some document was in it (polled every 0.5 s; windows of stages overlap):");
    foreach (var (stage, seconds) in stageTotals)
        Console.WriteLine(stageWindows.TryGetValue(stage, out var w)
            ? $"  {stage,-12} {seconds,8:F1} s summed   {w.First,6:F1} s .. {w.Last,6:F1} s wall"
            : $"  {stage,-12} {seconds,8:F1} s summed   (never seen by a poll)");
    var target = options.IngestTargetSeconds;
    Console.WriteLine($"target: ingestion wall time <= {target} s : {ingestion.TotalSeconds:F1} s {(ingestion.TotalSeconds <= target ? "PASS" : "FAIL")}");
    if (options.IngestOnly) return 0;
    if (crossValidation is not null)
    {
        if (dataDir is null) { Console.Error.WriteLine("--folds reads the clone's index in process: give a data folder (no --url)."); return 2; }
        return await RetrievalGrid.RunAsync(dataDir, cloneId, options.Queries, crossValidation, repo);
    }

    // Ask every query in every mode.
    var queries = File.ReadLines(options.Queries).Where(l => l.Length > 0).Select(l => Query.From(JsonDocument.Parse(l).RootElement)).ToList();
    var results = new Dictionary<string, List<QueryScore>>();
    foreach (var mode in options.Modes.Where(m => m != "chat"))
    {
        var scores = new QueryScore[queries.Count];
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, queries.Count), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
        {
            var q = queries[i];
            var url = $"/api/clones/{cloneId}/knowledge/search?mode={mode}&top={options.Top}&q={Uri.EscapeDataString(q.Text)}";
            var page = await Json(await Ok(http.GetAsync(url, ct)));
            var hits = page.GetProperty("items").EnumerateArray().Select(h => new Hit(
                docToCorpus.GetValueOrDefault(h.GetProperty("documentId").GetString()!, "?"), h.GetProperty("start").GetInt32(), h.GetProperty("end").GetInt32())).ToList();
            scores[i] = Score(q, hits);
        });
        results[mode] = [.. scores];
        Console.WriteLine($"  {mode}: {queries.Count} queries in {watch.Elapsed.TotalSeconds:F1} s");
    }

    Console.WriteLine();
    Console.WriteLine($"{"mode",-8} {"set",-22} {"n",4} {"recall@5",9} {"recall@10",10} {"MRR@10",8}");
    var report = new List<object>();
    foreach (var (mode, scores) in results)
    {
        foreach (var (label, subset) in new[]
        {
            ("all", scores),
            ("without context-dep.", scores.Where(s => !s.Query.ContextDependent).ToList()),
        })
        {
            var r5 = subset.Average(s => s.Rank is > 0 and <= 5 ? 1.0 : 0.0);
            var r10 = subset.Average(s => s.Rank is > 0 and <= 10 ? 1.0 : 0.0);
            var mrr = subset.Average(s => s.Rank is > 0 and <= 10 ? 1.0 / s.Rank.Value : 0.0);
            Console.WriteLine($"{mode,-8} {label,-22} {subset.Count,4} {r5,9:F3} {r10,10:F3} {mrr,8:F3}");
            report.Add(new { mode, set = label, n = subset.Count, recallAt5 = r5, recallAt10 = r10, mrrAt10 = mrr });
        }
    }
    if (options.Modes.Contains("chat"))
    {
        // Every question in a fresh session (so no answer leans on another), answered through the chat API as JSON. A citation
        // hit when one of the passages the answer quoted (a citation's passages, each at most 2,000 characters; its range when
        // it lists none) overlaps a labelled span; an exact hit when one of the quoted ranges themselves does.
        var watch = Stopwatch.StartNew();
        var chat = new (Query Query, bool Hit, bool ExactHit, bool DontKnow)[queries.Count];
        var measures = new AnswerMeasures.Result[queries.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, queries.Count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var q = queries[i];
            var session = await Json(await Ok(http.PostAsync($"/api/clones/{cloneId}/sessions", null, ct)));
            var answer = await Json(await Ok(http.PostAsJsonAsync($"/api/sessions/{session.GetProperty("id").GetString()}/messages",
                new { content = q.Text, clientMessageId = "eval-" + q.Id }, ct)));
            var cited = answer.GetProperty("citations").EnumerateArray()
                .Select(c => AnswerMeasures.Cited.From(c, docToCorpus.GetValueOrDefault(c.GetProperty("documentId").GetString()!, "?"))).ToList();
            chat[i] = (q, Score(q, [.. cited.SelectMany(c => c.Passages)]).Rank is not null, Score(q, [.. cited.SelectMany(c => c.Quotes)]).Rank is not null,
                answer.GetProperty("answerKind").GetString() == "dont-know");
            measures[i] = AnswerMeasures.Of(q, answer.GetProperty("content").GetString() ?? "", cited.ToDictionary(c => c.N));
            await http.PostAsync($"/api/sessions/{session.GetProperty("id").GetString()}/end", null, ct);
        });
        Console.WriteLine($"\nchat: {queries.Count} questions in {watch.Elapsed.TotalSeconds:F1} s (a new session each)");
        Console.WriteLine("  cited a span: a quoted passage overlaps a labelled span; exact hit: a quoted sentence itself does");
        Console.WriteLine($"{"set",-22} {"n",4} {"cited a span",13} {"exact hit",10} {"don't know",11}");
        foreach (var (label, subset) in new[] { ("all", chat.ToList()), ("without context-dep.", chat.Where(c => !c.Query.ContextDependent).ToList()) })
        {
            var share = subset.Average(c => c.Hit ? 1.0 : 0.0);
            var exact = subset.Average(c => c.ExactHit ? 1.0 : 0.0);
            var dontKnow = subset.Average(c => c.DontKnow ? 1.0 : 0.0);
            Console.WriteLine($"{label,-22} {subset.Count,4} {share,13:F3} {exact,10:F3} {dontKnow,11:F3}");
            report.Add(new { mode = "chat", set = label, n = subset.Count, citedSpanShare = share, exactHitShare = exact, dontKnowShare = dontKnow });
        }
        AnswerMeasures.Report(measures, report);
        var citedShare = chat.Where(c => !c.Query.ContextDependent).Average(c => c.Hit ? 1.0 : 0.0);
        Console.WriteLine($"target: answers citing a labelled span (without context-dep.) >= 0.80 : {citedShare:F3} {(citedShare >= 0.80 ? "PASS" : "FAIL")}");
    }
    var output = Path.Combine(repo, "bench", "results", $"eval-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json");
    Directory.CreateDirectory(Path.GetDirectoryName(output)!);
    await File.WriteAllTextAsync(output, JsonSerializer.Serialize(new { corpus = options.Corpus, queries = options.Queries, ingestionSeconds = ingestion.TotalSeconds, report }, new JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine($"\nresults: {Path.GetRelativePath(repo, output)}");
    return 0;
}
finally
{
    if (host is not null)
    {
        try { host.Kill(entireProcessTree: true); await host.WaitForExitAsync(); } catch (InvalidOperationException) { }
        if (dataDir is not null && !options.KeepData && options.DataDir is null) try { Directory.Delete(dataDir, true); } catch (IOException) { }
    }
}

static QueryScore Score(Query q, List<Hit> hits)
{
    for (var i = 0; i < hits.Count; i++)
    {
        var h = hits[i];
        if (h.End - h.Start > 2000) continue; // a citation points at a passage, not at a paper
        var hit = q.Spans.Count > 0
            ? q.Spans.Any(s => s.DocId == h.DocId && h.Start < s.End && s.Start < h.End)
            : q.RelevantIds.Contains(h.DocId);
        if (hit) return new QueryScore(q, i + 1);
    }
    return new QueryScore(q, null);
}

static async Task<List<JsonElement>> ListAllAsync(HttpClient http, string cloneId)
{
    var all = new List<JsonElement>();
    string? token = null;
    do
    {
        var url = $"/api/clones/{cloneId}/documents?pageSize=200" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token));
        var page = await Json(await Ok(http.GetAsync(url)));
        all.AddRange(page.GetProperty("items").EnumerateArray());
        token = page.GetProperty("continuationToken").ValueKind == JsonValueKind.String ? page.GetProperty("continuationToken").GetString() : null;
    } while (token is not null);
    return all;
}

static async Task<string> LoginAsync(HttpClient http, string email, string password)
{
    var tokens = await Json(await Ok(http.PostAsJsonAsync("/api/auth/login", new { email, password })));
    return tokens.GetProperty("accessToken").GetString()!;
}

static string ReadVerificationToken(string dataDir, string email)
{
    foreach (var file in Directory.GetFiles(Path.Combine(dataDir, "outbox"), "*.eml").OrderDescending())
    {
        var message = MimeMessage.Load(file);
        if (!message.To.Mailboxes.Any(m => m.Address == email)) continue;
        var match = Regex.Match(message.TextBody ?? "", @"/verify\?token=([A-Za-z0-9_\-%]+)");
        if (match.Success) return Uri.UnescapeDataString(match.Groups[1].Value);
    }
    throw new InvalidOperationException("No verification email found in the outbox.");
}

static async Task WaitHealthyAsync(HttpClient http)
{
    for (var i = 0; i < 120; i++)
    {
        try { if ((await http.GetAsync("/api/health")).IsSuccessStatusCode) return; }
        catch (HttpRequestException) { }
        await Task.Delay(500);
    }
    throw new InvalidOperationException("The host did not become healthy.");
}

static async Task<HttpResponseMessage> Ok(Task<HttpResponseMessage> call)
{
    var response = await call;
    if (!response.IsSuccessStatusCode)
        throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} → {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    return response;
}

static async Task<JsonElement> Json(HttpResponseMessage response) => (await response.Content.ReadFromJsonAsync<JsonElement>());

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static string FindRepo()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "CloneAI.sln"))) return dir.FullName;
    return Directory.GetCurrentDirectory();
}

internal sealed record Span(string DocId, int Start, int End);

internal sealed record Hit(string DocId, int Start, int End);

internal sealed record Query(string Id, string Text, IReadOnlyList<Span> Spans, IReadOnlySet<string> RelevantIds, bool ContextDependent, string Answer = "")
{
    public static Query From(JsonElement e) => new(
        e.GetProperty("id").GetString()!,
        e.GetProperty("query").GetString()!,
        e.TryGetProperty("answer_spans", out var spans) && spans.ValueKind == JsonValueKind.Array
            ? spans.EnumerateArray().Select(s => new Span(s.GetProperty("doc_id").GetString()!, s.GetProperty("start").GetInt32(), s.GetProperty("end").GetInt32())).ToList()
            : [],
        e.TryGetProperty("relevant_ids", out var ids) ? ids.EnumerateArray().Select(i => i.GetString()!).ToHashSet() : new HashSet<string>(),
        e.TryGetProperty("context_dependent", out var cd) && cd.ValueKind == JsonValueKind.True,
        e.TryGetProperty("answer", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString()! : "");
}

internal sealed record QueryScore(Query Query, int? Rank);

internal sealed record EvalOptions(string Corpus, string Queries, string? Url, string? Email, string? Password, int Top, IReadOnlyList<string> Modes, int? Limit, int TimeoutSeconds, bool KeepData, bool Verbose, bool IngestOnly, int IngestTargetSeconds, string? DataDir, string? CloneId)
{
    public static EvalOptions? Parse(string[] args)
    {
        string? corpus = null, queries = null, url = null, email = null, password = null, dataDir = null, clone = null;
        int top = 10, timeout = 1800;
        int? limit = null;
        var modes = new List<string> { "keyword", "vector", "hybrid", "chat" };
        bool keep = false, verbose = false, ingestOnly = false;
        var ingestTarget = 150;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--corpus": corpus = Next(); break;
                case "--queries": queries = Next(); break;
                case "--url": url = Next(); break;
                case "--email": email = Next(); break;
                case "--password": password = Next(); break;
                case "--top": top = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--modes": modes = [.. Next().Split(',')]; break;
                case "--limit": limit = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--timeout": timeout = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--keep-data": keep = true; break;
                case "--data": dataDir = Next(); break;
                case "--clone": clone = Next(); break;
                case "--verbose": verbose = true; break;
                case "--ingest-only": ingestOnly = true; break;
                case "--ingest-target": ingestTarget = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}");
                    return null;
            }
        }
        if (ingestOnly) queries ??= "";
        if (corpus is null || queries is null)
        {
            Console.Error.WriteLine("usage: ./eval --corpus corpus.jsonl --queries dev.jsonl [--url http://127.0.0.1:7071 --email E --password P] [--top 10] [--modes keyword,vector,hybrid,chat] [--limit N] [--keep-data] [--data DIR --clone ID] [--ingest-only]");
            return null;
        }
        return new EvalOptions(corpus, queries, url, email, password, top, modes, limit, timeout, keep, verbose, ingestOnly, ingestTarget, dataDir, clone);
    }
}

/// <summary>
/// What an answer is worth, beyond citing the right span: gold-token recall (the share of the gold answer's word tokens found
/// in the answer), words per answer, and sentence precision: the share of the answer's quoted sentences (each ending in its
/// [n] marks) that come from the passage holding the gold span, that is whose cited passage (any passage of a citation its
/// marks name) overlaps a labelled span. Exact precision is the stricter reading: a quoted range of that citation itself
/// overlaps a labelled span. A citation that lists no passages or quotes (older answers) counts by its own range.
/// </summary>
internal static partial class AnswerMeasures
{
    internal sealed record Result(double GoldTokenRecall, int Words, int Sentences, int SentencesFromGold, int SentencesQuotingGold, bool HasGold);

    /// <summary>A citation of an answer: its number, its document (as a corpus id), its quoted ranges and its passages.</summary>
    internal sealed record Cited(int N, string DocId, IReadOnlyList<Hit> Quotes, IReadOnlyList<Hit> Passages)
    {
        public static Cited From(JsonElement c, string docId)
        {
            var whole = new Hit(docId, c.GetProperty("start").GetInt32(), c.GetProperty("end").GetInt32());
            List<Hit> Ranges(string name) =>
                c.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0
                    ? [.. list.EnumerateArray().Select(r => new Hit(docId, r.GetProperty("start").GetInt32(), r.GetProperty("end").GetInt32()))]
                    : [whole];
            return new Cited(c.GetProperty("n").GetInt32(), docId, Ranges("quotes"), Ranges("passages"));
        }
    }

    public static Result Of(Query q, string answer, IReadOnlyDictionary<int, Cited> citations)
    {
        var text = Marks().Replace(answer, " ");
        var answerTokens = Tokens(text).ToHashSet(StringComparer.Ordinal);
        var gold = Tokens(q.Answer).ToList();
        var recall = gold.Count == 0 ? 0 : gold.Count(answerTokens.Contains) / (double)gold.Count;
        var words = Tokens(text).Count();
        int sentences = 0, fromGold = 0, quotingGold = 0;
        bool Gold(IEnumerable<Hit> ranges) => ranges.Any(c => q.Spans.Any(s => s.DocId == c.DocId && c.Start < s.End && s.Start < c.End));
        foreach (Match sentence in QuotedSentence().Matches(answer))
        {
            var ns = Marks().Matches(sentence.Value).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
            if (ns.Count == 0) continue;
            sentences++;
            var named = ns.Where(citations.ContainsKey).Select(n => citations[n]).ToList();
            if (Gold(named.SelectMany(c => c.Passages))) fromGold++;
            if (Gold(named.SelectMany(c => c.Quotes))) quotingGold++;
        }
        return new Result(recall, words, sentences, fromGold, quotingGold, gold.Count > 0 && q.Spans.Count > 0);
    }

    public static void Report(IReadOnlyList<Result> results, List<object> report)
    {
        var scored = results.Where(r => r.HasGold).ToList();
        var recall = Median(scored.Select(r => r.GoldTokenRecall));
        var meanRecall = scored.Average(r => r.GoldTokenRecall);
        var words = Median(results.Select(r => (double)r.Words));
        var quoted = scored.Sum(r => r.Sentences);
        var precision = quoted == 0 ? 0 : scored.Sum(r => r.SentencesFromGold) / (double)quoted;
        var exact = quoted == 0 ? 0 : scored.Sum(r => r.SentencesQuotingGold) / (double)quoted;
        Console.WriteLine($"answers: gold-token recall median {recall:F3} (mean {meanRecall:F3}); words per answer median {words:F0}; sentence precision {precision:F3} (exact precision {exact:F3}; {quoted} quoted sentences)");
        Console.WriteLine("  sentence precision: the quoted sentence's cited passage overlaps a labelled span; exact precision: its quoted range does");
        Console.WriteLine($"target: median gold-token recall >= 0.8 : {recall:F3} {(recall >= 0.8 ? "PASS" : "FAIL")}");
        Console.WriteLine($"target: median words per answer <= 35 : {words:F0} {(words <= 35 ? "PASS" : "FAIL")}");
        Console.WriteLine($"target: sentence precision >= 0.6 : {precision:F3} {(precision >= 0.6 ? "PASS" : "FAIL")}");
        report.Add(new { mode = "chat", set = "answers", n = scored.Count, goldTokenRecallMedian = recall, goldTokenRecallMean = meanRecall, wordsPerAnswerMedian = words, sentencePrecision = precision, exactPrecision = exact, quotedSentences = quoted });
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0) return 0;
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static IEnumerable<string> Tokens(string text) => Word().Matches(text.ToLowerInvariant()).Select(m => m.Value);

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();

    [GeneratedRegex(@"\[(\d{1,2})\]")]
    private static partial Regex Marks();

    /// <summary>A sentence of the answer with the [n] marks that follow it.</summary>
    [GeneratedRegex(@"[^.!?]+[.!?]?(\s*\[\d{1,2}\])+")]
    private static partial Regex QuotedSentence();
}
