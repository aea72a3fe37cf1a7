using System.Text.Json;
using Ali.Serverless.Common;
using Ali.Serverless.Pipeline;
using Ali.Serverless.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Ali.Serverless.Functions.Queues;

/// <summary>
/// First step of the review pipeline: records that a submitted application reached it. A later issue
/// replaces the body with acceptance (受理); the wiring and its idempotence stay.
/// </summary>
public sealed class SubmissionReceipt(SubmissionDispatcher dispatcher, ILogger<SubmissionReceipt> logger)
{
    [Function("RecordSubmissionReceipt")]
    public async Task Run([QueueTrigger(StorageNames.ApplicationSubmittedQueue)] string message, CancellationToken cancellationToken)
    {
        ApplicationSubmitted? submitted;
        try
        {
            submitted = JsonSerializer.Deserialize<ApplicationSubmitted>(message, DocumentJson.Options);
        }
        catch (JsonException e)
        {
            // Retrying cannot fix a malformed message; log it and let it go rather than poison the queue.
            logger.LogError(e, "Dropped a malformed {Queue} message", StorageNames.ApplicationSubmittedQueue);
            return;
        }
        if (submitted is null || string.IsNullOrWhiteSpace(submitted.ApplicationId) || string.IsNullOrWhiteSpace(submitted.OwnerId))
        {
            // Without both ids there is no point read to make; the stores throw on a null id, which would poison it.
            logger.LogError("Dropped a {Queue} message without applicationId and ownerId", StorageNames.ApplicationSubmittedQueue);
            return;
        }
        var result = await dispatcher.RecordReceiptAsync(submitted, cancellationToken);
        if (result.IsSuccess)
        {
            logger.LogInformation("Review received case {CaseNumber} (application {ApplicationId})", submitted.CaseNumber, submitted.ApplicationId);
        }
        else if (result.Problem!.Kind == ProblemKind.NotFound)
        {
            logger.LogWarning("Submission message for unknown application {ApplicationId} ignored", submitted.ApplicationId);
        }
        else
        {
            // Thrown so the queue retries it, and after the last try moves it to the poison queue.
            throw new InvalidOperationException(result.Problem.Detail);
        }
    }
}
