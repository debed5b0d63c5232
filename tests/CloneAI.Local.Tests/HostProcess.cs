using System.Diagnostics;

namespace CloneAI.Local.Tests;

/// <summary>
/// The local host as its own process (<c>CloneAI.Local.dll</c> from the test's output), for tests that kill it with SIGKILL and
/// start it again on the same data folder.
/// </summary>
internal static class HostProcess
{
    /// <summary>Starts the host on <paramref name="url"/> with <paramref name="data"/>; <paramref name="settings"/> go in as environment variables (<c>A:B</c> as <c>A__B</c>).</summary>
    public static Process Start(string data, string url, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "CloneAI.Local.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "--data", data, "--urls", url }) start.ArgumentList.Add(a);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings ?? []) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Waits (up to a minute) until the host answers its health check.</summary>
    public static async Task WaitHealthyAsync(HttpClient http)
    {
        for (var i = 0; i < 240; i++)
        {
            try { if ((await http.GetAsync("/api/health")).IsSuccessStatusCode) return; }
            catch (HttpRequestException) { }
            await Task.Delay(250);
        }
        Assert.Fail("the host did not start");
    }

    /// <summary>Kills the process and its children (SIGKILL) if it still runs, and waits for it to exit.</summary>
    public static async Task KillAsync(Process process)
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }
}
