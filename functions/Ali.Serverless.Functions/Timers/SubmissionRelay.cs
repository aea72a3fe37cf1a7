using Ali.Serverless.Pipeline;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Ali.Serverless.Functions.Timers;

/// <summary>Every minute, sends submissions whose queue message was lost to a crash between the two writes.</summary>
public sealed class SubmissionRelay(SubmissionDispatcher dispatcher, ILogger<SubmissionRelay> logger)
{
    public const int BatchSize = 100;

    [Function("RelayPendingSubmissions")]
    public async Task Run([TimerTrigger("0 */1 * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var sent = await dispatcher.RelayAsync(BatchSize, cancellationToken);
        if (sent > 0)
        {
            logger.LogWarning("Relayed {Count} submissions whose queue message had not been sent", sent);
        }
    }
}
