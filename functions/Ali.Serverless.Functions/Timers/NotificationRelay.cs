using Ali.Serverless.Notifications;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Ali.Serverless.Functions.Timers;

/// <summary>Every minute: queues SMS whose delivery message was lost, and those held by quiet hours or the daily limit whose time has come.</summary>
public sealed class NotificationRelay(NotificationService notifications, ILogger<NotificationRelay> logger)
{
    public const int BatchSize = 200;

    [Function("RelayNotifications")]
    public async Task Run([TimerTrigger("15 */1 * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var queued = await notifications.RelayAsync(BatchSize, cancellationToken);
        if (queued > 0)
        {
            logger.LogInformation("Queued {Count} SMS for delivery", queued);
        }
    }
}
