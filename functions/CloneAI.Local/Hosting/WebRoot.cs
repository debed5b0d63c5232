using Microsoft.Extensions.FileProviders;

namespace CloneAI.Local.Hosting;

/// <summary>The built web app (<c>static-web/dist</c>) at <c>/</c>, with its index page for every other path outside the API.</summary>
public static class WebRoot
{
    /// <returns>The folder served, or null when the web app is not built (then <c>/</c> says so).</returns>
    public static string? Serve(WebApplication app, string? configured)
    {
        var web = Find(configured);
        if (web is null)
        {
            app.MapGet("/", () => Results.Text(
                "<!doctype html><title>CloneAI</title><h1>CloneAI API is running</h1><p>The web app is not built. Run <code>./run</code> from the repository, or <code>npm run build</code> in static-web.</p><p>API reference: <a href=\"/api/docs/\">/api/docs</a></p>",
                "text/html"));
            return null;
        }
        var files = new PhysicalFileProvider(web);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        app.MapFallbackToFile("index.html", new StaticFileOptions { FileProvider = files });
        return web;
    }

    /// <summary><c>Local:WebRoot</c>, else the nearest <c>static-web/dist</c> above the working folder or the executable.</summary>
    private static string? Find(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured)) return File.Exists(Path.Combine(configured, "index.html")) ? Path.GetFullPath(configured) : null;
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "static-web", "dist");
                if (File.Exists(Path.Combine(candidate, "index.html"))) return candidate;
            }
        }
        return null;
    }
}
