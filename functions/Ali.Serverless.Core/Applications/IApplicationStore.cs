namespace Ali.Serverless.Applications;

/// <summary>A stored document with the version token (ETag) a conditional write must present.</summary>
public sealed record Stored<T>(T Value, string ETag);

/// <summary>One page of results and the token for the next page (null on the last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? ContinuationToken);

/// <summary>The token given back to the store was not one it issued.</summary>
public sealed class InvalidContinuationTokenException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Where applications are kept, partitioned by <see cref="Application.OwnerId"/>.</summary>
public interface IApplicationStore
{
    /// <summary>Stores a new application; null when one with the same id already exists in that partition.</summary>
    Task<Stored<Application>?> CreateAsync(Application application, CancellationToken cancellationToken);

    /// <summary>A point read: null when there is no such application in that owner's partition.</summary>
    Task<Stored<Application>?> GetAsync(string ownerId, string id, CancellationToken cancellationToken);

    /// <summary>
    /// Whether that owner's partition holds the application, without reading or decrypting it: for checks that
    /// need only ownership (what was sent about an application), so its personal data is never opened for them.
    /// </summary>
    Task<bool> ExistsAsync(string ownerId, string id, CancellationToken cancellationToken);

    /// <summary>Replaces the application if it still has <paramref name="etag"/>; null when someone else changed it.</summary>
    Task<Stored<Application>?> ReplaceAsync(Application application, string etag, CancellationToken cancellationToken);

    /// <summary>One owner's applications, newest first.</summary>
    Task<Page<Application>> ListByOwnerAsync(string ownerId, int pageSize, string? continuationToken, CancellationToken cancellationToken);

    /// <summary>
    /// Submitted applications whose message was never queued (a crash between the two writes), submitted before
    /// <paramref name="submittedBefore"/>. Used by the periodic relay only, never on a request path.
    /// </summary>
    Task<IReadOnlyList<Application>> ListAwaitingDispatchAsync(DateTimeOffset submittedBefore, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Cases whose outbox still holds work, last changed before <paramref name="changedBefore"/> (the writer
    /// died before finishing it). Used by the relay timer only.
    /// </summary>
    Task<IReadOnlyList<Application>> ListWithPendingOutboxAsync(DateTimeOffset changedBefore, int max, CancellationToken cancellationToken);

    /// <summary>Cases under review whose promised or legal limit falls before <paramref name="dueBefore"/>. Supervision timer only.</summary>
    Task<IReadOnlyList<Application>> ListUnderReviewDueBeforeAsync(DateTimeOffset dueBefore, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Applications without a case number (drafts, and drafts withdrawn before submission) last changed before
    /// <paramref name="untouchedSince"/>. Retention sweep only.
    /// </summary>
    Task<IReadOnlyList<Application>> ListDraftsUntouchedSinceAsync(DateTimeOffset untouchedSince, int max, CancellationToken cancellationToken);

    /// <summary>Cases that ended (completed, not accepted, withdrawn after submission) before <paramref name="endedBefore"/>. Retention sweep only.</summary>
    Task<IReadOnlyList<Application>> ListEndedBeforeAsync(DateTimeOffset endedBefore, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Cases (submitted applications) submitted before <paramref name="to"/> that had not ended before <paramref name="from"/>:
    /// every case a month's statistics can count, and some more (the statistics filter exactly). Statistics timer only
    /// (cross-partition).
    /// </summary>
    Task<IReadOnlyList<Application>> ListCasesOpenDuringAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>Deletes the application; nothing when it is already gone.</summary>
    Task DeleteAsync(string ownerId, string id, CancellationToken cancellationToken);

    /// <summary>
    /// Applications of any owner whose <see cref="Application.ApplicantKey"/> is <paramref name="applicantKey"/>:
    /// a query on the keyed hash, never on the number (一号 linking; an indexed column or a cross-partition query).
    /// </summary>
    Task<IReadOnlyList<Application>> ListByApplicantKeyAsync(string applicantKey, int max, CancellationToken cancellationToken);

    /// <summary>Applications whose personal data is not under KEK version <paramref name="currentKeyId"/> (or not encrypted at all). Rotation only.</summary>
    Task<IReadOnlyList<Application>> ListUnderOtherKeyAsync(string currentKeyId, int max, CancellationToken cancellationToken);
}
