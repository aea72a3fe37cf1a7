using Ali.Serverless.Applications;
using Ali.Serverless.Cases;
using Ali.Serverless.Common;
using Ali.Serverless.Functions.Logging;
using Ali.Serverless.Operations;
using Ali.Serverless.Pipeline;
using Ali.Serverless.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Ali.Serverless.Functions.Queues;

/// <summary>
/// First step of every case: the automated pre-check of a submitted application, which hands it to the
/// item's department for acceptance. Safe to run twice for the same message.
/// </summary>
public sealed class SubmissionPreCheck(CaseWorkflow workflow, IPoisonQueue poison, ILogger<SubmissionPreCheck> logger)
{
    [Function("PreCheckSubmission")]
    public async Task Run([QueueTrigger(StorageNames.ApplicationSubmittedQueue)] string message, CancellationToken cancellationToken)
    {
        var submitted = await QueueMessages.ReadOrMoveAsideAsync<ApplicationSubmitted>(message, StorageNames.ApplicationSubmittedQueue,
            m => QueueMessages.IsId(m.ApplicationId) && !string.IsNullOrWhiteSpace(m.OwnerId), poison, logger, cancellationToken);
        if (submitted is null)
        {
            return;
        }
        using var span = CaseTelemetry.StartConsumer("PreCheckSubmission", StorageNames.ApplicationSubmittedQueue, submitted.TraceParent,
            DateTimeOffset.UtcNow - submitted.SubmittedAt, submitted.CaseNumber);
        var result = await workflow.PreCheckAsync(submitted, cancellationToken);
        if (result.IsSuccess)
        {
            ApplicantLog.PreChecked(logger, submitted.CaseNumber, submitted.OwnerId, result.Value!.Status.ToWire());
        }
        else if (result.Problem!.Kind == ProblemKind.NotFound)
        {
            await poison.MoveAsideAsync(StorageNames.ApplicationSubmittedQueue, message, cancellationToken);
            CaseTelemetry.Poisoned(StorageNames.ApplicationSubmittedQueue);
            logger.LogError("Moved a {Queue} message for unknown application {ApplicationId} to its poison queue", StorageNames.ApplicationSubmittedQueue, submitted.ApplicationId);
        }
        else
        {
            // Thrown so the queue retries it, and after the last try moves it to the poison queue.
            throw new InvalidOperationException(result.Problem.Detail);
        }
    }
}
