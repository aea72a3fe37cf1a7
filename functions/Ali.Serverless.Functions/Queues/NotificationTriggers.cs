using Ali.Serverless.Cases;
using Ali.Serverless.Functions.Logging;
using Ali.Serverless.Notifications;
using Ali.Serverless.Operations;
using Ali.Serverless.Storage;
using Ali.Serverless.Supervision;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Ali.Serverless.Functions.Queues;

/// <summary>
/// Notifications, off the request path: case events and warnings become inbox entries and SMS; SMS are
/// sent from their own queue, so a slow or failing provider holds up nothing else.
/// </summary>
public sealed class NotificationTriggers(NotificationService notifications, IPoisonQueue poison, ILogger<NotificationTriggers> logger)
{
    [Function("NotifyCaseEvent")]
    public async Task CaseEvent([QueueTrigger(StorageNames.CaseEventsQueue)] string message, CancellationToken cancellationToken)
    {
        var caseEvent = await QueueMessages.ReadOrMoveAsideAsync<CaseEventMessage>(message, StorageNames.CaseEventsQueue,
            e => !string.IsNullOrWhiteSpace(e.EventId) && !string.IsNullOrWhiteSpace(e.Type) && QueueMessages.IsId(e.ApplicationId) && !string.IsNullOrWhiteSpace(e.OwnerId),
            poison, logger, cancellationToken);
        if (caseEvent is not null)
        {
            using var span = CaseTelemetry.StartConsumer("NotifyCaseEvent", StorageNames.CaseEventsQueue, caseEvent.TraceParent,
                DateTimeOffset.UtcNow - caseEvent.OccurredAt, caseEvent.CaseNumber);
            var made = await notifications.HandleCaseEventAsync(caseEvent, cancellationToken);
            ApplicantLog.CaseEventNotified(logger, caseEvent.CaseNumber, caseEvent.Type, caseEvent.OwnerId, made);
        }
    }

    [Function("NotifySupervisionWarning")]
    public async Task Warning([QueueTrigger(StorageNames.SupervisionWarningsQueue)] string message, CancellationToken cancellationToken)
    {
        var warning = await QueueMessages.ReadOrMoveAsideAsync<SupervisionWarning>(message, StorageNames.SupervisionWarningsQueue,
            w => !string.IsNullOrWhiteSpace(w.Id) && QueueMessages.IsId(w.ApplicationId) && !string.IsNullOrWhiteSpace(w.OwnerId) && !string.IsNullOrWhiteSpace(w.DepartmentCode),
            poison, logger, cancellationToken);
        if (warning is not null)
        {
            using var span = CaseTelemetry.StartConsumer("NotifySupervisionWarning", StorageNames.SupervisionWarningsQueue, warning.TraceParent,
                DateTimeOffset.UtcNow - warning.RaisedAt, warning.CaseNumber);
            await notifications.HandleWarningAsync(warning, cancellationToken);
        }
    }

    [Function("DeliverNotification")]
    public async Task Deliver([QueueTrigger(StorageNames.NotificationDeliveriesQueue)] string message, CancellationToken cancellationToken)
    {
        var request = await QueueMessages.ReadOrMoveAsideAsync<DeliveryRequest>(message, StorageNames.NotificationDeliveriesQueue,
            r => !string.IsNullOrWhiteSpace(r.Recipient) && QueueMessages.IsId(r.NotificationId), poison, logger, cancellationToken);
        if (request is not null)
        {
            // No case number yet: the send's own span, a child of this one, names it.
            using var span = CaseTelemetry.StartConsumer("DeliverNotification", StorageNames.NotificationDeliveriesQueue, request.TraceParent, null, null);
            var result = await notifications.DeliverAsync(request, cancellationToken);
            // Status only: the notification never holds the phone number, and the log does not either.
            logger.LogInformation("Notification {NotificationId}: {Status}", request.NotificationId, result?.Status);
        }
    }
}
