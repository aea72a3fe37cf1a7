using System.Collections.Concurrent;

namespace Ali.Serverless.Statistics;

/// <summary>
/// Keeps each month's statistics document this instance read or wrote for a few seconds (decision 25), so the
/// statistics routes do not read and deserialize the same document on every request. A month recomputed by another
/// instance is seen here at most <paramref name="lifetime"/> late; one written through this instance at once.
/// Months never computed are not remembered, so a first computation elsewhere is not hidden.
/// </summary>
public sealed class RecentStatistics(IStatisticsStore store, TimeProvider time, TimeSpan lifetime) : IStatisticsStore
{
    private readonly ConcurrentDictionary<string, (MonthlyStatistics Statistics, DateTimeOffset ReadAt)> _months = new(StringComparer.Ordinal);

    public async Task UpsertAsync(MonthlyStatistics statistics, CancellationToken cancellationToken)
    {
        _months.TryRemove(statistics.Period, out _);
        await store.UpsertAsync(statistics, cancellationToken);
        _months[statistics.Period] = (statistics, time.GetUtcNow());
    }

    public async Task<MonthlyStatistics?> GetAsync(string period, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_months.TryGetValue(period, out var kept) && now - kept.ReadAt < lifetime)
        {
            return kept.Statistics;
        }
        var statistics = await store.GetAsync(period, cancellationToken);
        if (statistics is null)
        {
            _months.TryRemove(period, out _);
        }
        else
        {
            _months[period] = (statistics, now);
        }
        return statistics;
    }
}
