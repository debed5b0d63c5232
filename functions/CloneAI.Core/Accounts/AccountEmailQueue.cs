using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CloneAI.Core.Accounts;

/// <summary>
/// Account emails that exist only for some addresses (a password reset, a verification sent again) are looked up, composed and
/// sent off the request path, so the request takes the same time whether or not the address has an account. <see cref="AccountEmailWorker"/> runs them in a host;
/// tests call <see cref="RunPendingAsync"/>. A full queue drops the email (and logs it) rather than slowing requests down.
/// </summary>
public sealed class AccountEmailQueue(ILogger<AccountEmailQueue> logger)
{
    private readonly Channel<(string What, Func<CancellationToken, Task> Work)> _work =
        Channel.CreateBounded<(string, Func<CancellationToken, Task>)>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Enqueue(string what, Func<CancellationToken, Task> work)
    {
        if (!_work.Writer.TryWrite((what, work))) logger.LogWarning("The account email queue is full; {What} was dropped", what);
    }

    /// <summary>Runs queued work until <paramref name="cancellationToken"/> ends.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await foreach (var item in _work.Reader.ReadAllAsync(cancellationToken)) await RunOneAsync(item, cancellationToken);
    }

    /// <summary>Runs what is queued now, then returns.</summary>
    public async Task RunPendingAsync(CancellationToken cancellationToken = default)
    {
        while (_work.Reader.TryRead(out var item)) await RunOneAsync(item, cancellationToken);
    }

    private async Task RunOneAsync((string What, Func<CancellationToken, Task> Work) item, CancellationToken cancellationToken)
    {
        try
        {
            await item.Work(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogError(e, "Sending {What} failed", item.What);
        }
    }
}

/// <summary>Drains the <see cref="AccountEmailQueue"/> in a running host.</summary>
public sealed class AccountEmailWorker(AccountEmailQueue queue) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try { await queue.RunAsync(stoppingToken); }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }
}
