using System.Threading.Channels;

namespace Ali.Serverless.Audit;

/// <summary>Writes and reads audit chains. Append-only: there is no way to change or remove a record.</summary>
public interface IAuditLog
{
    /// <summary>Adds the entry at the end of its chain, or returns the record already written for its <see cref="AuditEntry.Id"/>.</summary>
    Task<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>
    /// For reads and refusals: appends, and on failure tells <see cref="IAuditFailureLog"/> instead of
    /// throwing, so an audit store outage does not turn a read into a 500 (decision 11). Where the log writes
    /// these records behind the answer (<see cref="AuditLogOptions.WriteReadsBehind"/>, decision 29), this only
    /// queues the entry, waiting while the queue is full. State changes use <see cref="AppendAsync"/> through the
    /// case outbox, which retries until the record is written.
    /// </summary>
    Task TryAppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>
    /// Waits until every entry queued by <see cref="TryAppendAsync"/> before this call is written (or reported to
    /// <see cref="IAuditFailureLog"/>): at host stop, and where a trail must show a read just made.
    /// </summary>
    Task FlushAsync(CancellationToken cancellationToken);

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

    /// <summary>
    /// Creates consecutive records of one chain in order, stopping at the first whose sequence another writer took;
    /// answers how many were created. What is written is a prefix of the run, so no record is stored whose
    /// previous record is not. A store that can write several in one round trip overrides this one-by-one default.
    /// </summary>
    async Task<int> TryCreateRunAsync(IReadOnlyList<AuditRecord> run, CancellationToken cancellationToken)
    {
        for (var i = 0; i < run.Count; i++)
        {
            if (!await TryCreateAsync(run[i], cancellationToken))
            {
                return i;
            }
        }
        return run.Count;
    }

    Task<IReadOnlyList<AuditRecord>> ReadChainAsync(string chain, CancellationToken cancellationToken);

    /// <summary>
    /// At most <paramref name="count"/> records of the chain whose sequence is <paramref name="fromSequence"/> or
    /// more, in sequence order: one range read of the (chain, sequence) key, never the whole chain.
    /// </summary>
    Task<IReadOnlyList<AuditRecord>> ReadChainAsync(string chain, long fromSequence, int count, CancellationToken cancellationToken);
}

/// <summary>How <see cref="AuditLog"/> writes the records of reads and refusals (decision 29).</summary>
public sealed record AuditLogOptions
{
    /// <summary>
    /// When true, <see cref="IAuditLog.TryAppendAsync"/> queues the entry and returns, and one background writer
    /// appends what is queued in batches, a chain's entries in one run. When false, each is appended before it returns.
    /// </summary>
    public bool WriteReadsBehind { get; init; }

    /// <summary>The most entries queued and not yet written; a caller past it waits for room rather than losing one.</summary>
    public int QueueCapacity { get; init; } = 8_192;

    /// <summary>The most entries the background writer takes in one round.</summary>
    public int BatchSize { get; init; } = 1_024;

    /// <summary>
    /// How long the writer waits after a round's first entry for others to join it, unless the round is full already:
    /// a busy instance then commits a few large batches a second instead of one per request.
    /// </summary>
    public TimeSpan Gather { get; init; } = TimeSpan.FromMilliseconds(50);
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
/// <para>
/// With <see cref="AuditLogOptions.WriteReadsBehind"/>, the records of reads and refusals are written behind the
/// answer (decision 29): a process that dies loses what it had queued, at most the queue, usually one batch.
/// </para>
/// </remarks>
public sealed class AuditLog : IAuditLog
{
    private const int Attempts = 10;

    private readonly IAuditStore _store;
    private readonly IAuditFailureLog? _failures;
    private readonly ChainHeads _heads = new();
    private readonly int _batchSize;
    private readonly TimeSpan _gather;
    private readonly Channel<AuditEntry>? _behind;
    private int _writerStarted;
    // Entries queued so far, and entries written or reported as not audited; a flush waits for the second to reach the first.
    private long _queued;
    private long _settled;
    private readonly List<(long Upto, TaskCompletionSource Done)> _flushes = [];

    public AuditLog(IAuditStore store, IAuditFailureLog? failures = null, AuditLogOptions? options = null)
    {
        _store = store;
        _failures = failures;
        options ??= new AuditLogOptions();
        _batchSize = options.BatchSize;
        _gather = options.Gather;
        if (options.WriteReadsBehind)
        {
            _behind = Channel.CreateBounded<AuditEntry>(new BoundedChannelOptions(options.QueueCapacity)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
        }
    }

    public async Task<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        if (entry.Id is not null && await _store.FindAsync(entry.Chain, entry.Id, cancellationToken) is { } written)
        {
            return written;
        }
        AuditEntry[] entries = [entry];
        string[] ids = [entry.Id ?? NewId()];
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var (run, created) = await TryLinkAsync(entries, ids, 0, attempt == 0, cancellationToken);
            if (created == 1)
            {
                return run[0];
            }
            if (entry.Id is not null && await _store.FindAsync(entry.Chain, entry.Id, cancellationToken) is { } raced)
            {
                // The same entry written meanwhile by another call (an outbox effect done twice at once).
                return raced;
            }
        }
        throw TooManyWriters(entry.Chain);
    }

    public async Task TryAppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        if (_behind is not null && entry.Id is null)
        {
            await QueueAsync(entry, cancellationToken);
            return;
        }
        try
        {
            await AppendAsync(entry, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            _failures?.NotAudited(entry, e);
        }
    }

    public Task FlushAsync(CancellationToken cancellationToken)
    {
        var upto = Interlocked.Read(ref _queued);
        lock (_flushes)
        {
            if (_settled >= upto)
            {
                return Task.CompletedTask;
            }
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _flushes.Add((upto, done));
            return done.Task.WaitAsync(cancellationToken);
        }
    }

    public Task<IReadOnlyList<AuditRecord>> ReadChainAsync(string chain, CancellationToken cancellationToken) =>
        _store.ReadChainAsync(chain, cancellationToken);

    public async Task<AuditPage> ReadPageAsync(string chain, long fromSequence, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromSequence);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        // One range read: the record before the page (its anchor), the page, and one more to know whether a next page exists.
        var start = fromSequence == 0 ? 0 : fromSequence - 1;
        var read = await _store.ReadChainAsync(chain, start, pageSize + 1 + (int)(fromSequence - start), cancellationToken);
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

    /// <summary>
    /// One try at appending <paramref name="entries"/> from <paramref name="from"/> on, linked to the chain's head (the
    /// remembered one on a first try, else the store's): the records built, and how many of them were created (always
    /// a prefix).
    /// </summary>
    private async Task<(AuditRecord[] Run, int Created)> TryLinkAsync(IReadOnlyList<AuditEntry> entries, string[] ids, int from, bool firstTry, CancellationToken cancellationToken)
    {
        var chain = entries[from].Chain;
        var last = (firstTry ? _heads.Get(chain) : null) ?? await _store.GetLastAsync(chain, cancellationToken);
        var run = new AuditRecord[entries.Count - from];
        for (var i = 0; i < run.Length; i++)
        {
            last = run[i] = AuditRecord.Next(entries[from + i], ids[from + i], last);
        }
        // One record goes through the plain create, the one call every store and decorator implements itself.
        var created = run.Length == 1
            ? (await _store.TryCreateAsync(run[0], cancellationToken) ? 1 : 0)
            : await _store.TryCreateRunAsync(run, cancellationToken);
        if (created > 0)
        {
            _heads.Remember(run[created - 1]);
        }
        if (created < run.Length)
        {
            _heads.Forget(chain);
        }
        return (run, created);
    }

    private async Task QueueAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _queued);
        if (Interlocked.CompareExchange(ref _writerStarted, 1, 0) == 0)
        {
            // Started by whichever request queues first, but it is nobody's: without the flow suppressed it would carry
            // that request's context (its trace among it) for the life of the process.
            using (ExecutionContext.SuppressFlow())
            {
                _ = Task.Run(WriteBehindAsync, CancellationToken.None);
            }
        }
        try
        {
            if (!_behind!.Writer.TryWrite(entry))
            {
                // Full: the request waits for room, so a burst slows staff reads down instead of dropping their records.
                await _behind.Writer.WriteAsync(entry, cancellationToken);
            }
        }
        catch
        {
            // Never queued (the request went away while waiting for room): a flush must not wait for it.
            Settle(1);
            throw;
        }
    }

    /// <summary>The background writer: takes up to a batch, appends each chain's entries as one run, all chains at once.</summary>
    private async Task WriteBehindAsync()
    {
        var reader = _behind!.Reader;
        var batch = new List<AuditEntry>(_batchSize);
        while (await reader.WaitToReadAsync())
        {
            if (_gather > TimeSpan.Zero && reader.Count < _batchSize)
            {
                await Task.Delay(_gather);
            }
            while (batch.Count < _batchSize && reader.TryRead(out var entry))
            {
                batch.Add(entry);
            }
            await Task.WhenAll(batch.GroupBy(e => e.Chain, StringComparer.Ordinal).Select(run => AppendRunAsync(run.ToList())));
            Settle(batch.Count);
            batch.Clear();
        }
    }

    /// <summary>Appends one chain's queued entries in order; never throws (what cannot be written is reported).</summary>
    private async Task AppendRunAsync(IReadOnlyList<AuditEntry> run)
    {
        var ids = new string[run.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = NewId();
        }
        var done = 0;
        try
        {
            for (var attempt = 0; attempt < Attempts && done < run.Count; attempt++)
            {
                // Not a request's token: the request has been answered; only the store's own failures stop this.
                done += (await TryLinkAsync(run, ids, done, attempt == 0, CancellationToken.None)).Created;
            }
            if (done < run.Count)
            {
                throw TooManyWriters(run[0].Chain);
            }
        }
        catch (Exception e)
        {
            for (var i = done; i < run.Count; i++)
            {
                try
                {
                    _failures?.NotAudited(run[i], e);
                }
                catch (Exception)
                {
                    // The failure log itself failing must not stop the writer, or every later read would wait for room.
                }
            }
        }
    }

    private void Settle(int count)
    {
        lock (_flushes)
        {
            _settled += count;
            for (var i = _flushes.Count - 1; i >= 0; i--)
            {
                if (_flushes[i].Upto <= _settled)
                {
                    _flushes[i].Done.TrySetResult();
                    _flushes.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>
    /// Time-ordered (a version 7 GUID), so a chain's new records land at the end of the stores' (chain, record id)
    /// index instead of at random places in it: a batch then changes a few index pages, not one per record.
    /// </summary>
    private static string NewId() => Guid.CreateVersion7().ToString("N");

    private static InvalidOperationException TooManyWriters(string chain) =>
        new($"Could not append to the audit chain '{chain}' after {Attempts} attempts: too many concurrent writers.");
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
