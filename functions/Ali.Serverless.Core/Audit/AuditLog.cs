namespace Ali.Serverless.Audit;

/// <summary>Writes and reads audit chains. Append-only: there is no way to change or remove a record.</summary>
public interface IAuditLog
{
    /// <summary>Adds the entry at the end of its chain, or returns the record already written for its <see cref="AuditEntry.Id"/>.</summary>
    Task<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>
    /// For reads and refusals: appends, and on failure tells <see cref="IAuditFailureLog"/> instead of
    /// throwing, so an audit store outage does not turn a read into a 500 (decision 11). State changes
    /// use <see cref="AppendAsync"/> through the case outbox, which retries until the record is written.
    /// </summary>
    Task TryAppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>The chain's records in sequence order.</summary>
    Task<IReadOnlyList<AuditRecord>> ReadChainAsync(string chain, CancellationToken cancellationToken);

    /// <summary>
    /// At most <paramref name="pageSize"/> records from <paramref name="fromSequence"/> on, oldest first, verified
    /// as a page: each record's hash, each link, and the first record's link to the one before the page.
    /// </summary>
    Task<AuditPage> ReadPageAsync(string chain, long fromSequence, int pageSize, CancellationToken cancellationToken);
}

/// <summary>Told when a read or refusal could not be audited; the Functions app logs it as an error for operators.</summary>
public interface IAuditFailureLog
{
    void NotAudited(AuditEntry entry, Exception exception);
}

/// <summary>
/// Where audit records are kept: one record per (chain, sequence), created once and never replaced or
/// deleted. Adapters implement no update or delete.
/// </summary>
public interface IAuditStore
{
    Task<AuditRecord?> GetLastAsync(string chain, CancellationToken cancellationToken);

    Task<AuditRecord?> FindAsync(string chain, string id, CancellationToken cancellationToken);

    /// <summary>Creates the record if its (chain, sequence) is free; false when another writer took it.</summary>
    Task<bool> TryCreateAsync(AuditRecord record, CancellationToken cancellationToken);

    Task<IReadOnlyList<AuditRecord>> ReadChainAsync(string chain, CancellationToken cancellationToken);

    /// <summary>
    /// At most <paramref name="count"/> records of the chain whose sequence is <paramref name="fromSequence"/> or
    /// more, in sequence order: one range read of the (chain, sequence) key, never the whole chain.
    /// </summary>
    Task<IReadOnlyList<AuditRecord>> ReadChainAsync(string chain, long fromSequence, int count, CancellationToken cancellationToken);
}

/// <summary>
/// Appends by reading the chain's last record and creating the next one if its sequence is still free.
/// Two concurrent writers cannot fork a chain: the second create of a sequence fails, and the loser
/// re-reads and links to the winner.
/// </summary>
/// <remarks>
/// The last record this instance wrote to a chain is remembered (<see cref="ChainHeads"/>) and used instead
/// of reading it back, since a staff member's requests and a case's steps mostly append one after another
/// through the same instance (decision 28). A remembered head can only be stale, never ahead of the store:
/// if another instance appended meanwhile, the create of the next sequence fails like any lost race, and the
/// retry reads the chain's last record from the store.
/// </remarks>
public sealed class AuditLog(IAuditStore store, IAuditFailureLog? failures = null) : IAuditLog
{
    private const int Attempts = 10;

    private readonly ChainHeads _heads = new();

    public async Task<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        if (entry.Id is not null && await store.FindAsync(entry.Chain, entry.Id, cancellationToken) is { } written)
        {
            return written;
        }
        var id = entry.Id ?? Guid.NewGuid().ToString("N");
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var last = (attempt == 0 ? _heads.Get(entry.Chain) : null) ?? await store.GetLastAsync(entry.Chain, cancellationToken);
            var record = AuditRecord.Next(entry, id, last);
            if (await store.TryCreateAsync(record, cancellationToken))
            {
                _heads.Remember(record);
                return record;
            }
            _heads.Forget(entry.Chain);
            if (entry.Id is not null && await store.FindAsync(entry.Chain, entry.Id, cancellationToken) is { } raced)
            {
                // The same entry written meanwhile by another call (an outbox effect done twice at once).
                return raced;
            }
        }
        throw new InvalidOperationException($"Could not append to the audit chain '{entry.Chain}' after {Attempts} attempts: too many concurrent writers.");
    }

    public async Task TryAppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            await AppendAsync(entry, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            failures?.NotAudited(entry, e);
        }
    }

    public Task<IReadOnlyList<AuditRecord>> ReadChainAsync(string chain, CancellationToken cancellationToken) =>
        store.ReadChainAsync(chain, cancellationToken);

    public async Task<AuditPage> ReadPageAsync(string chain, long fromSequence, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromSequence);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        // One range read: the record before the page (its anchor), the page, and one more to know whether a next page exists.
        var start = fromSequence == 0 ? 0 : fromSequence - 1;
        var read = await store.ReadChainAsync(chain, start, pageSize + 1 + (int)(fromSequence - start), cancellationToken);
        var before = fromSequence == 0 ? null : read.FirstOrDefault(r => r.Sequence == fromSequence - 1);
        var rest = read.Where(r => r.Sequence >= fromSequence).ToList();
        var page = rest.Count > pageSize ? rest.GetRange(0, pageSize) : rest;
        return new AuditPage(
            page,
            AuditVerifier.VerifyPage(chain, fromSequence, before, page),
            fromSequence,
            page.Count > 0 ? page[^1].Sequence : null,
            before is not null || fromSequence == 0,
            rest.Count > pageSize ? page[^1].Sequence + 1 : null);
    }
}

/// <summary>
/// The last record written to each chain by this instance, for <see cref="AuditLog"/>. Bounded: when it holds
/// <see cref="Capacity"/> chains it starts again empty, which costs each chain one read of its last record.
/// </summary>
internal sealed class ChainHeads
{
    internal const int Capacity = 10_000;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, AuditRecord> _heads = new(StringComparer.Ordinal);

    /// <summary>The last record this instance wrote to the chain; null when it has not (or has forgotten).</summary>
    public AuditRecord? Get(string chain) => _heads.GetValueOrDefault(chain);

    public void Remember(AuditRecord record)
    {
        if (_heads.Count >= Capacity)
        {
            _heads.Clear();
        }
        // Two appends of one chain can finish out of order: keep the later sequence.
        _heads.AddOrUpdate(record.Chain, record, (_, known) => known.Sequence >= record.Sequence ? known : record);
    }

    public void Forget(string chain) => _heads.TryRemove(chain, out _);
}
