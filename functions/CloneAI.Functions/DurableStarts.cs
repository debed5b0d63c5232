using Grpc.Core;

namespace CloneAI.Functions;

/// <summary>What the starters of orchestrations with fixed instance ids (ingestion, summaries) share.</summary>
internal static class DurableStarts
{
    /// <summary>Whether scheduling failed because an instance with that id already exists (gRPC, or the in-process backend's message).</summary>
    public static bool IsAlreadyStarted(Exception e) =>
        e is RpcException { StatusCode: StatusCode.AlreadyExists } ||
        (e is InvalidOperationException && e.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase));
}
