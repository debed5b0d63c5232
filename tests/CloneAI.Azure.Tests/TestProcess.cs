using System.Diagnostics;

namespace CloneAI.Azure.Tests;

/// <summary>Runs a program to its end, capturing its output; a run past the timeout is killed and fails the test.</summary>
internal static class TestProcess
{
    public static (int ExitCode, string Stdout, string Stderr) Run(
        string fileName, IEnumerable<string> arguments, TimeSpan timeout,
        string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // null removes a variable the test process has, so the child cannot see it.
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileName(fileName)} did not finish within {timeout.TotalSeconds:F0} s.");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
