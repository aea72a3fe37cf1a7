using System.Collections.Concurrent;

namespace Ali.Serverless.Cases;

/// <summary>
/// Remembers the case index entries this instance found or wrote (decision 28). An entry never changes once a case
/// has its number: the number, the applicant's owner id, the application and its department are fixed for the
/// case's life. So a remembered entry cannot be stale, and a staff read of a case makes one store read, not two.
/// Not-found answers are not remembered: a case indexed a moment later must be found. Bounded: when it holds
/// <see cref="Capacity"/> entries it starts again empty.
/// </summary>
public sealed class RememberedCaseIndex(ICaseIndex index) : ICaseIndex
{
    internal const int Capacity = 20_000;

    private readonly ConcurrentDictionary<string, CaseIndexEntry> _entries = new(StringComparer.Ordinal);

    public async Task UpsertAsync(CaseIndexEntry entry, CancellationToken cancellationToken)
    {
        await index.UpsertAsync(entry, cancellationToken);
        Remember(entry);
    }

    public async Task<CaseIndexEntry?> GetAsync(string caseNumber, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue(caseNumber, out var remembered))
        {
            return remembered;
        }
        var entry = await index.GetAsync(caseNumber, cancellationToken);
        if (entry is not null)
        {
            Remember(entry);
        }
        return entry;
    }

    private void Remember(CaseIndexEntry entry)
    {
        if (_entries.Count >= Capacity)
        {
            _entries.Clear();
        }
        _entries[entry.CaseNumber] = entry;
    }
}
