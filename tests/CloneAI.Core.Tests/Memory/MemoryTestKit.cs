using System.Runtime.CompilerServices;
using CloneAI.Core.Chat;
using Microsoft.Extensions.AI;

namespace CloneAI.Core.Tests.Memory;

internal static class MemoryTestKit
{
    public static ChatSession Session(string userId, string cloneId = "c-1", string? id = null, int messages = 0) => new()
    {
        Id = id ?? Guid.NewGuid().ToString("N"), UserId = userId, CloneId = cloneId, CloneName = "Coach", OwnerId = "creator", MessageCount = messages,
        StartedAt = DateTimeOffset.UtcNow, LastActivityAt = DateTimeOffset.UtcNow,
    };

    public static SessionMessage Question(ChatSession session, string text, string id = "a1-q") => new()
    {
        Id = id, SessionId = session.Id, Role = MessageRoles.User, Content = text, CreatedAt = DateTimeOffset.UtcNow,
    };

    public static SessionMessage Answer(ChatSession session, string text = "An answer.") => new()
    {
        Id = "a1", SessionId = session.Id, Role = MessageRoles.Assistant, Content = text, AnswerKind = AnswerKinds.Extractive, CreatedAt = DateTimeOffset.UtcNow,
    };
}

/// <summary>A chat client that records every request and replies with what it is given (or throws).</summary>
internal sealed class RecordingChat(Func<IReadOnlyList<ChatMessage>, string> reply) : IChatClient
{
    public List<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> Requests { get; } = [];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        lock (Requests) Requests.Add((list, options));
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply(list))));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        lock (Requests) Requests.Add((list, options));
        await Task.Yield();
        yield return new ChatResponseUpdate(ChatRole.Assistant, reply(list));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
