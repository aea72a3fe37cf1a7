using System.Text.Json;
using Ali.Serverless.Cases;
using Ali.Serverless.Common;
using Ali.Serverless.Storage;

namespace Ali.Serverless.Supervision;

/// <summary>
/// Raises a warning once: stores it (its id makes a second raise a no-op), then queues it for the
/// notifications step and marks it queued. A crash between the two leaves it unqueued for the next run.
/// </summary>
public sealed class WarningRaiser(IWarningStore warnings, IWorkQueue queues, TimeProvider clock)
{
    /// <summary>True when this call stored the warning (it was not raised before).</summary>
    public async Task<bool> RaiseAsync(SupervisionWarning warning, CancellationToken cancellationToken)
    {
        var created = await warnings.CreateAsync(warning, cancellationToken);
        if (created)
        {
            await QueueAsync(warning, cancellationToken);
        }
        return created;
    }

    /// <summary>Queues every warning stored but never queued. Returns how many.</summary>
    public async Task<int> RequeueAsync(int max, CancellationToken cancellationToken)
    {
        var pending = await warnings.ListUnqueuedAsync(max, cancellationToken);
        foreach (var warning in pending)
        {
            await QueueAsync(warning, cancellationToken);
        }
        return pending.Count;
    }

    private async Task QueueAsync(SupervisionWarning warning, CancellationToken cancellationToken)
    {
        // The raising span when it is the case's, else (a requeue by a later run) the case's own context.
        var message = warning with { TraceParent = Operations.CaseTelemetry.TraceParentFor(warning.TraceParent) };
        await queues.SendAsync(StorageNames.SupervisionWarningsQueue, JsonSerializer.Serialize(message, DocumentJson.Options), cancellationToken);
        await warnings.MarkQueuedAsync(warning, clock.GetUtcNow(), cancellationToken);
    }

    /// <summary>Deterministic id: one warning per level, limit and subject.</summary>
    public static string IdFor(string level, string limit, string subjectId) => $"{level}.{limit}.{subjectId}";
}
