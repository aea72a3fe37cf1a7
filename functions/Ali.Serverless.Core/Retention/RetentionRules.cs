using Ali.Serverless.Applications;
using Ali.Serverless.Cases;
using Ali.Serverless.Materials;

namespace Ali.Serverless.Retention;

/// <summary>What is kept how long (PIPL art. 19: no longer than the purpose needs). Decision 15.</summary>
public sealed record RetentionOptions
{
    /// <summary>A draft (or a draft withdrawn before submission) untouched this long is deleted with its blobs.</summary>
    public TimeSpan DraftLifetime { get; init; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Added to <see cref="DraftLifetime"/> for the backstops that cannot know whether the sweep ran: Cosmos DB's
    /// per-item TTL on drafts and the Blob lifecycle rule on upload blobs. The sweep normally acts first.
    /// </summary>
    public TimeSpan BackstopMargin { get; init; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Years an ended case (completed, not accepted, withdrawn after submission) is kept, counted from its end;
    /// null keeps it until an operator sets the period the archive rules give for the item (decision 15).
    /// </summary>
    public int? CompletedCaseYears { get; init; }

    /// <summary>What Cosmos DB's per-item TTL of a draft is, in seconds: the draft lifetime plus the margin.</summary>
    public int DraftTimeToLiveSeconds => (int)(DraftLifetime + BackstopMargin).TotalSeconds;
}

/// <summary>The rules of retention that do not depend on a store.</summary>
public static class RetentionRules
{
    /// <summary>Whether the application is still a draft for retention: it never got a case number.</summary>
    public static bool IsDraft(Application application) => application.CaseNumber is null;

    /// <summary>Whether the case has ended: nothing will change it any more, and its archive period runs.</summary>
    public static bool HasEnded(Application application) =>
        application.CaseNumber is not null
        && application.Status is ApplicationStatus.Completed or ApplicationStatus.NotAccepted or ApplicationStatus.Withdrawn;

    /// <summary>Every blob a material may have: the upload blob and its sealed copy; none for a licence given instead of a file (decision 16).</summary>
    public static IEnumerable<string> BlobsOf(Material material) =>
        material.Licence is not null ? []
        : material.VerifiedBlobName is null ? [material.BlobName] : [material.BlobName, material.VerifiedBlobName];

    /// <summary>Outbox entries deleting every blob of materials that are no longer referenced (replaced ones).</summary>
    public static IEnumerable<OutboxEntry> BlobDeletions(IEnumerable<Material> materials, DateTimeOffset now) =>
        materials.SelectMany(BlobsOf).Select(name => Deletion(name, now));

    /// <summary>
    /// At submission: the upload blob of every material (the sealed copy is what the case keeps; the upload
    /// blob only served verification), and the unverified materials, which do not go on with the case.
    /// </summary>
    public static IEnumerable<OutboxEntry> UploadDeletionsAtSubmission(IEnumerable<Material> materials, DateTimeOffset now) =>
        materials.Where(m => m.Licence is null).SelectMany(m => m.IsVerified ? [m.BlobName] : BlobsOf(m)).Select(name => Deletion(name, now));

    /// <summary>The id is the blob's name: the same deletion recorded twice is one entry's work.</summary>
    private static OutboxEntry Deletion(string blobName, DateTimeOffset now) =>
        new($"delete-blob:{blobName}", OutboxKind.DeleteBlob, now, Detail: blobName);

    /// <summary>Every blob an application still references or still has to delete.</summary>
    public static IReadOnlyList<string> AllBlobsOf(Application application) =>
        application.Materials.SelectMany(BlobsOf)
            .Concat(application.Outbox.Where(e => e is { Kind: OutboxKind.DeleteBlob, Detail: not null }).Select(e => e.Detail!))
            .Distinct(StringComparer.Ordinal)
            .ToList();
}

/// <summary>What one sweep deleted.</summary>
public sealed record RetentionSweep(int ExpiredDrafts, int EndedCases);

/// <summary>
/// Deletes what is kept no longer: drafts untouched for <see cref="RetentionOptions.DraftLifetime"/> and,
/// when an archive period is configured, cases ended longer ago, each with its blobs. Crash-safe: a draft is
/// first marked expired (conditional on its ETag, so one touched meanwhile stays), which hides it from its
/// owner; then its blobs go, then the document. A sweep that dies midway is finished by the next one, since
/// every step can be repeated. Runs from a timer, locally and in Azure (where TTL and the Blob lifecycle rule
/// are backstops behind it).
/// </summary>
public sealed class RetentionSweeper(IApplicationStore applications, IMaterialStorage materials, RetentionOptions options, TimeProvider clock)
{
    public async Task<RetentionSweep> RunAsync(int max, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var drafts = 0;
        foreach (var candidate in await applications.ListDraftsUntouchedSinceAsync(now - options.DraftLifetime, max, cancellationToken))
        {
            if (await ExpireDraftAsync(candidate, now, cancellationToken))
            {
                drafts++;
            }
        }
        var ended = 0;
        if (options.CompletedCaseYears is { } years)
        {
            foreach (var candidate in await applications.ListEndedBeforeAsync(now.AddYears(-years), max, cancellationToken))
            {
                // A case whose outbox is not finished yet waits for the relay: its effects come first.
                if (RetentionRules.HasEnded(candidate) && candidate.Outbox.Count == 0)
                {
                    await DeleteWithBlobsAsync(candidate, cancellationToken);
                    ended++;
                }
            }
        }
        return new RetentionSweep(drafts, ended);
    }

    private async Task<bool> ExpireDraftAsync(Application candidate, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stored = await applications.GetAsync(candidate.OwnerId, candidate.Id, cancellationToken);
        if (stored is null)
        {
            return false;
        }
        var application = stored.Value;
        // Read again: it may have been submitted or touched since it was listed.
        if (!RetentionRules.IsDraft(application) || application.UpdatedAt >= now - options.DraftLifetime)
        {
            return false;
        }
        if (application.ExpiredAt is null)
        {
            var marked = await applications.ReplaceAsync(application with { ExpiredAt = now }, stored.ETag, cancellationToken);
            if (marked is null)
            {
                return false; // changed meanwhile: no longer untouched
            }
        }
        await DeleteWithBlobsAsync(application, cancellationToken);
        return true;
    }

    private async Task DeleteWithBlobsAsync(Application application, CancellationToken cancellationToken)
    {
        foreach (var blob in RetentionRules.AllBlobsOf(application))
        {
            await materials.DiscardAsync(blob, cancellationToken);
        }
        await applications.DeleteAsync(application.OwnerId, application.Id, cancellationToken);
    }
}
