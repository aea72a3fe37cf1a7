using Ali.Serverless.Applications;

namespace Ali.Serverless.Pipeline;

/// <summary>
/// Sends submitted applications to the review queue (a transactional outbox on the application
/// itself): the submission is saved first with <see cref="Application.SubmissionQueuedAt"/> unset,
/// then the message is sent, then the mark is set. A crash in between leaves the mark unset and
/// <see cref="RelayAsync"/> sends it again; consumers tolerate the duplicate.
/// </summary>
public sealed class SubmissionDispatcher(IApplicationStore applications, ISubmissionQueue queue, TimeProvider clock)
{
    /// <summary>How long a submission may wait unsent before the relay assumes the sender died.</summary>
    public static readonly TimeSpan RelayGrace = TimeSpan.FromMinutes(1);

    public async Task<Application> DispatchAsync(Stored<Application> stored, CancellationToken cancellationToken)
    {
        var application = stored.Value;
        if (application.SubmissionQueuedAt is not null || application.CaseNumber is null || application.SubmittedAt is null)
        {
            return application;
        }
        await queue.EnqueueAsync(
            new ApplicationSubmitted(application.Id, application.OwnerId, application.CaseNumber, application.ItemCode, application.DepartmentCode, application.SubmittedAt.Value,
                Operations.CaseTelemetry.TraceParentFor(application.TraceParent)),
            cancellationToken);
        return await MarkQueuedAsync(stored, cancellationToken);
    }

    /// <summary>Sends every submission that was saved but never queued. Returns how many were sent.</summary>
    public async Task<int> RelayAsync(int max, CancellationToken cancellationToken)
    {
        var pending = await applications.ListAwaitingDispatchAsync(clock.GetUtcNow() - RelayGrace, max, cancellationToken);
        var sent = 0;
        foreach (var candidate in pending)
        {
            var stored = await applications.GetAsync(candidate.OwnerId, candidate.Id, cancellationToken);
            if (stored is { Value.SubmissionQueuedAt: null, Value.Status: ApplicationStatus.Submitted })
            {
                await DispatchAsync(stored, cancellationToken);
                sent++;
            }
        }
        return sent;
    }

    private async Task<Application> MarkQueuedAsync(Stored<Application> stored, CancellationToken cancellationToken)
    {
        // The message is already out; a concurrent writer only means we re-read and set the mark again.
        var current = stored;
        for (var attempt = 0; attempt < 5 && current is not null; attempt++)
        {
            if (current.Value.SubmissionQueuedAt is not null)
            {
                return current.Value;
            }
            var now = clock.GetUtcNow();
            var marked = await applications.ReplaceAsync(current.Value with { SubmissionQueuedAt = now, UpdatedAt = now }, current.ETag, cancellationToken);
            if (marked is not null)
            {
                return marked.Value;
            }
            current = await applications.GetAsync(stored.Value.OwnerId, stored.Value.Id, cancellationToken);
        }
        return current?.Value ?? stored.Value;
    }
}
