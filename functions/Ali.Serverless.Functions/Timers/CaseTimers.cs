using Ali.Serverless.Cases;
using Ali.Serverless.Supervision;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Ali.Serverless.Functions.Timers;

/// <summary>Every minute, finishes the outbox of any case whose writer died between the write and its effects.</summary>
public sealed class CaseOutboxRelay(CaseOutbox outbox, ILogger<CaseOutboxRelay> logger)
{
    public const int BatchSize = 100;

    [Function("RelayCaseOutboxes")]
    public async Task Run([TimerTrigger("30 */1 * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var finished = await outbox.RelayAsync(BatchSize, cancellationToken);
        if (finished > 0)
        {
            logger.LogWarning("Finished the outbox of {Count} cases whose writer had not", finished);
        }
    }
}

/// <summary>电子监察: every five minutes, raises near-due and overdue warnings for tasks and cases.</summary>
public sealed class SupervisionTimer(Supervisor supervisor, ILogger<SupervisionTimer> logger)
{
    [Function("SuperviseTimeLimits")]
    public async Task Run([TimerTrigger("0 */5 * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var run = await supervisor.RunAsync(cancellationToken);
        if (run.Raised > 0 || run.Requeued > 0)
        {
            logger.LogInformation("Supervision raised {Raised} warnings and re-queued {Requeued}", run.Raised, run.Requeued);
        }
    }
}
