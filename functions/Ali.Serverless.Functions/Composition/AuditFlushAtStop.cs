using Ali.Serverless.Audit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ali.Serverless.Functions.Composition;

/// <summary>
/// At host stop, writes the audit records of reads still queued behind their answers (decision 29), within the
/// host's shutdown time. Registered before the triggers' runners, so it stops after them.
/// </summary>
public sealed class AuditFlushAtStop(IAuditLog audit, ILogger<AuditFlushAtStop> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await audit.FlushAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            logger.LogError("The host stopped before every queued audit record of a read was written; those records are lost.");
        }
    }
}
