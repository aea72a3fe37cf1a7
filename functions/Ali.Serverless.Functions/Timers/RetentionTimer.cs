using Ali.Serverless.Retention;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Ali.Serverless.Functions.Timers;

/// <summary>
/// Every hour, deletes what is kept no longer (decision 15): drafts untouched past their lifetime with their
/// blobs, and ended cases past the configured archive period. Runs locally and in Azure alike; in Azure,
/// Cosmos DB's TTL and the Blob lifecycle rule are backstops behind it.
/// </summary>
public sealed class RetentionTimer(RetentionSweeper sweeper, ILogger<RetentionTimer> logger)
{
    public const int BatchSize = 200;

    [Function("SweepExpiredData")]
    public async Task Run([TimerTrigger("0 7 * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var sweep = await sweeper.RunAsync(BatchSize, cancellationToken);
        if (sweep.ExpiredDrafts > 0 || sweep.EndedCases > 0)
        {
            logger.LogInformation("Retention deleted {Drafts} expired drafts and {Cases} ended cases", sweep.ExpiredDrafts, sweep.EndedCases);
        }
    }
}
