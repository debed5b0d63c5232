using CloneAI.Functions.Api.Ops;
using CloneAI.Functions.Http;

// Usage: CloneAI.OpenApi <output.json>. The same document GET /api/openapi.json serves.
if (args.Length != 1)
{
    Console.Error.WriteLine("Usage: CloneAI.OpenApi <output.json>");
    return 2;
}
var json = OpenApiDocumentBuilder.ToJson(OpenApiDocumentBuilder.Build(RouteCatalog.Discover(typeof(OpsApi).Assembly), OpsApi.Version));
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(args[0]))!);
await File.WriteAllTextAsync(args[0], json + "\n");
Console.WriteLine($"Wrote {args[0]}");
return 0;
