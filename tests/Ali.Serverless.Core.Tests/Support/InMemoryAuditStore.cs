using System.Collections.Concurrent;
using Ali.Serverless.Audit;

namespace Ali.Serverless.Core.Tests.Support;

/// <summary>An audit store keyed by (chain, sequence) with create-if-absent, as the real stores are.</summary>
internal sealed class InMemoryAuditStore : IAuditStore
{
    private readonly ConcurrentDictionary<(string Chain, long Sequence), AuditRecord> _records = new();

    /// <summary>Called before each create: a test can slip in a competing record here.</summary>
    public Func<AuditRecord, Task>? BeforeCreate { get; set; }

    public bool FailAll { get; set; }

    public IReadOnlyList<AuditRecord> Chain(string chain) =>
        _records.Values.Where(r => r.Chain == chain).OrderBy(r => r.Sequence).ToList();

    public IReadOnlyList<AuditRecord> All => _records.Values.OrderBy(r => r.Chain).ThenBy(r => r.Sequence).ToList();

    /// <summary>Writes a record as it is, bypassing the log: for tests that play the attacker.</summary>
    public void Put(AuditRecord record) => _records[(record.Chain, record.Sequence)] = record;

    /// <summary>How many times a chain's last record was read.</summary>
    public int LastReads => _lastReads;

    private int _lastReads;

    public Task<AuditRecord?> GetLastAsync(string chain, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _lastReads);
        return Task.FromResult(Chain(chain).LastOrDefault());
    }

    public Task<AuditRecord?> FindAsync(string chain, string id, CancellationToken cancellationToken) =>
        Task.FromResult(Chain(chain).FirstOrDefault(r => r.Id == id));

    public async Task<bool> TryCreateAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        if (FailAll)
        {
            throw new InvalidOperationException("audit store down");
        }
        if (BeforeCreate is { } before)
        {
            await before(record);
        }
        return _records.TryAdd((record.Chain, record.Sequence), record);
    }

    public Task<IReadOnlyList<AuditRecord>> ReadChainAsync(string chain, CancellationToken cancellationToken) =>
        Task.FromResult(Chain(chain));

    public Task<IReadOnlyList<AuditRecord>> ReadChainAsync(string chain, long fromSequence, int count, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AuditRecord>>(Chain(chain).Where(r => r.Sequence >= fromSequence).Take(count).ToList());
}
