using Ali.Serverless.Statistics;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Ali.Serverless.Functions.Timers;

/// <summary>
/// 绩效考核: every hour, computes the current month and the two before it into the statistics store (decision 18),
/// so requests read one stored document and late changes to recent months are picked up.
/// </summary>
public sealed class StatisticsTimer(StatisticsService statistics, ILogger<StatisticsTimer> logger)
{
    [Function("ComputeStatistics")]
    public async Task Run([TimerTrigger("0 23 * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var months = await statistics.RunAsync(cancellationToken);
        if (!statistics.ReviewsAvailable)
        {
            logger.LogWarning("Statistics computed without review figures: no review store is registered");
        }
        logger.LogInformation("Statistics computed for {Periods}", string.Join(", ", months.Select(m => m.Period)));
    }
}
