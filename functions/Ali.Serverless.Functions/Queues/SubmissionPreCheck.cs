using System.Text.Json;
using Ali.Serverless.Applications;
using Ali.Serverless.Cases;
using Ali.Serverless.Common;
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
        ApplicationSubmitted? submitted = null;
        try
        {
            submitted = JsonSerializer.Deserialize<ApplicationSubmitted>(message, DocumentJson.Options);
        }
        catch (JsonException)
        {
            // Left null: handled below as malformed. The text is not logged: it may hold anything.
        }
        if (submitted is null || !IsId(submitted.ApplicationId) || string.IsNullOrWhiteSpace(submitted.OwnerId))
        {
            // Retrying cannot fix it; move it aside where operators count it (GET /api/ops/queues), never delete it.
            await poison.MoveAsideAsync(StorageNames.ApplicationSubmittedQueue, message, cancellationToken);
            logger.LogError("Moved a malformed {Queue} message to its poison queue", StorageNames.ApplicationSubmittedQueue);
            return;
        }
        var result = await workflow.PreCheckAsync(submitted, cancellationToken);
        if (result.IsSuccess)
        {
            logger.LogInformation("Pre-checked case {CaseNumber}: {Status}", submitted.CaseNumber, result.Value!.Status.ToWire());
        }
        else if (result.Problem!.Kind == ProblemKind.NotFound)
        {
            await poison.MoveAsideAsync(StorageNames.ApplicationSubmittedQueue, message, cancellationToken);
            logger.LogError("Moved a {Queue} message for unknown application {ApplicationId} to its poison queue", StorageNames.ApplicationSubmittedQueue, submitted.ApplicationId);
        }
        else
        {
            // Thrown so the queue retries it, and after the last try moves it to the poison queue.
            throw new InvalidOperationException(result.Problem.Detail);
        }
    }

    private static bool IsId(string? value) => value is { Length: 32 } && value.All(char.IsAsciiHexDigitLower);
}
