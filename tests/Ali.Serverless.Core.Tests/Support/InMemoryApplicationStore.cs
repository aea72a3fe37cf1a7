using Ali.Serverless.Applications;
using Ali.Serverless.PersonalData;

namespace Ali.Serverless.Core.Tests.Support;

/// <summary>
/// An application store that behaves like the real ones where the rules depend on it: partitions by
/// owner, a create that refuses an existing id, and replaces guarded by an ETag that changes on every write.
/// </summary>
internal sealed class InMemoryApplicationStore(IPersonalDataProtector? protector = null) : IApplicationStore
{
    /// <summary>What is "on disk": protected by <c>protector</c> when one is given, as the real stores do.</summary>
    private readonly Dictionary<(string Owner, string Id), Stored<Application>> _raw = [];
    private int _version;

    /// <summary>The documents as the rules see them (decrypted copies when a protector is in use).</summary>
    private Dictionary<(string Owner, string Id), Stored<Application>> _documents =>
        protector is null ? _raw : _raw.ToDictionary(kv => kv.Key, kv => kv.Value with { Value = Open(kv.Value.Value) });

    /// <summary>The stored form of every document, as a store adapter would write it.</summary>
    public IEnumerable<Application> Raw => _raw.Values.Select(s => s.Value);

    private Application Open(Application stored) =>
        protector is null ? stored : protector.UnprotectAsync(stored, CancellationToken.None).GetAwaiter().GetResult();

    public int CreateCalls { get; private set; }
    public int ReplaceCalls { get; private set; }

    /// <summary>Runs just before a replace is checked, to let a test play another writer.</summary>
    public Action<Application>? BeforeReplace { get; set; }

    /// <summary>Thrown by <see cref="ListByOwnerAsync"/> when set.</summary>
    public Exception? ListFailure { get; set; }

    public IEnumerable<Application> All => _documents.Values.Select(s => s.Value);

    public Application Single(string ownerId, string id) => _documents[(ownerId, id)].Value;

    /// <summary>Puts a document in directly, as if written earlier.</summary>
    public Stored<Application> Seed(Application application) => Write(application);

    /// <summary>Another writer saves the document unchanged: only its ETag moves.</summary>
    public void Touch(string ownerId, string id) => Write(_documents[(ownerId, id)].Value);

    public Task<Stored<Application>?> CreateAsync(Application application, CancellationToken cancellationToken)
    {
        CreateCalls++;
        if (_documents.ContainsKey((application.OwnerId, application.Id)))
        {
            return Task.FromResult<Stored<Application>?>(null);
        }
        return Task.FromResult<Stored<Application>?>(Write(application));
    }

    /// <summary>Point reads (each one decrypts, with a protector).</summary>
    public int GetCalls { get; private set; }

    public Task<Stored<Application>?> GetAsync(string ownerId, string id, CancellationToken cancellationToken)
    {
        GetCalls++;
        return Task.FromResult(_documents.TryGetValue((ownerId, id), out var stored) ? stored : null);
    }

    public Task<bool> ExistsAsync(string ownerId, string id, CancellationToken cancellationToken) =>
        Task.FromResult(_raw.ContainsKey((ownerId, id)));

    public Task<Stored<Application>?> ReplaceAsync(Application application, string etag, CancellationToken cancellationToken)
    {
        ReplaceCalls++;
        BeforeReplace?.Invoke(application);
        if (!_documents.TryGetValue((application.OwnerId, application.Id), out var current) || current.ETag != etag)
        {
            return Task.FromResult<Stored<Application>?>(null);
        }
        return Task.FromResult<Stored<Application>?>(Write(application));
    }

    public Task<Page<Application>> ListByOwnerAsync(string ownerId, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        if (ListFailure is not null)
        {
            throw ListFailure;
        }
        var items = _documents.Values.Select(s => s.Value).Where(a => a.OwnerId == ownerId)
            .OrderByDescending(a => a.CreatedAt).Take(pageSize).ToList();
        return Task.FromResult(new Page<Application>(items, null));
    }

    public Task<IReadOnlyList<Application>> ListAwaitingDispatchAsync(DateTimeOffset submittedBefore, int max, CancellationToken cancellationToken)
    {
        IReadOnlyList<Application> pending = _documents.Values.Select(s => s.Value)
            .Where(a => a.Status == ApplicationStatus.Submitted && a.SubmissionQueuedAt is null && a.SubmittedAt < submittedBefore)
            .Take(max).ToList();
        return Task.FromResult(pending);
    }

    public Task<IReadOnlyList<Application>> ListWithPendingOutboxAsync(DateTimeOffset changedBefore, int max, CancellationToken cancellationToken)
    {
        IReadOnlyList<Application> pending = _documents.Values.Select(s => s.Value)
            .Where(a => a.Outbox.Count > 0 && a.UpdatedAt < changedBefore).Take(max).ToList();
        return Task.FromResult(pending);
    }

    public Task<IReadOnlyList<Application>> ListUnderReviewDueBeforeAsync(DateTimeOffset dueBefore, int max, CancellationToken cancellationToken)
    {
        IReadOnlyList<Application> due = _documents.Values.Select(s => s.Value)
            .Where(a => a.Status == ApplicationStatus.UnderReview && (a.PromisedDueAt <= dueBefore || a.LegalDueAt <= dueBefore)).Take(max).ToList();
        return Task.FromResult(due);
    }

    public Task<IReadOnlyList<Application>> ListDraftsUntouchedSinceAsync(DateTimeOffset untouchedSince, int max, CancellationToken cancellationToken)
    {
        IReadOnlyList<Application> drafts = _documents.Values.Select(s => s.Value)
            .Where(a => a.CaseNumber is null && a.UpdatedAt < untouchedSince).Take(max).ToList();
        return Task.FromResult(drafts);
    }

    public Task<IReadOnlyList<Application>> ListCasesOpenDuringAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        IReadOnlyList<Application> cases = _documents.Values.Select(s => s.Value)
            .Where(a => a.CaseNumber is not null && a.SubmittedAt < to).ToList();
        return Task.FromResult(cases);
    }

    public Task<IReadOnlyList<Application>> ListEndedBeforeAsync(DateTimeOffset endedBefore, int max, CancellationToken cancellationToken)
    {
        IReadOnlyList<Application> ended = _documents.Values.Select(s => s.Value)
            .Where(a => a.CaseNumber is not null && a.Status is ApplicationStatus.Completed or ApplicationStatus.NotAccepted or ApplicationStatus.Withdrawn
                && a.UpdatedAt < endedBefore).Take(max).ToList();
        return Task.FromResult(ended);
    }

    public int DeleteCalls { get; private set; }

    /// <summary>Runs just before a delete, to let a test play a crash.</summary>
    public Action<Application>? BeforeDelete { get; set; }

    public Task DeleteAsync(string ownerId, string id, CancellationToken cancellationToken)
    {
        DeleteCalls++;
        if (_documents.TryGetValue((ownerId, id), out var stored))
        {
            BeforeDelete?.Invoke(stored.Value);
        }
        _documents.Remove((ownerId, id));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Application>> ListByApplicantKeyAsync(string applicantKey, int max, CancellationToken cancellationToken)
    {
        IReadOnlyList<Application> found = _documents.Values.Select(s => s.Value).Where(a => a.ApplicantKey == applicantKey).Take(max).ToList();
        return Task.FromResult(found);
    }

    public Task<IReadOnlyList<Application>> ListUnderOtherKeyAsync(string currentKeyId, int max, CancellationToken cancellationToken)
    {
        IReadOnlyList<Application> old = _raw.Values.Select(s => s.Value)
            .Where(a => PersonalDataProtector.KeyIdOf(a.DataKey) != currentKeyId).Take(max).Select(Open).ToList();
        return Task.FromResult(old);
    }

    private Stored<Application> Write(Application application)
    {
        var onDisk = protector is null ? application : protector.ProtectAsync(application, CancellationToken.None).GetAwaiter().GetResult();
        var stored = new Stored<Application>(onDisk, $"\"v{++_version}\"");
        _raw[(application.OwnerId, application.Id)] = stored;
        return new Stored<Application>(application with { ApplicantKey = onDisk.ApplicantKey }, stored.ETag);
    }
}
