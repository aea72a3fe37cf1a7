using System.Diagnostics.Metrics;
using Ali.Serverless.Applications;

namespace Ali.Serverless.Operations;

/// <summary>How many applications are in each state now: one grouped count over the whole store.</summary>
public interface ICaseCounts
{
    /// <summary>Every state that has at least one application, with its count; states with none are absent.</summary>
    Task<IReadOnlyDictionary<ApplicationStatus, long>> CountByStatusAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The gauge <c>ali.cases.current</c> (tag <c>state</c>, the wire name): applications in each state now. The count
/// is a scan of the store (a cross-partition query on Cosmos DB), so it is never made per scrape: an observation
/// reports the last count and, when that is older than <see cref="RefreshInterval"/>, starts one new count in the
/// background for the next. Nothing is counted while no exporter observes the gauge (telemetry off locally).
/// </summary>
public sealed class CasesPerState : IDisposable
{
    public const string GaugeName = "ali.cases.current";

    /// <summary>At most one count per instance per interval; the gauge is as fresh as this.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(5);

    private readonly ICaseCounts _counts;
    private readonly TimeProvider _clock;
    private readonly Meter _meter;

    /// <summary>Counts for the gauge that failed (tag <c>error</c>: the exception's type).</summary>
    private readonly Counter<long> _countFailures;
    private Snapshot? _snapshot;
    private DateTimeOffset _lastTry = DateTimeOffset.MinValue;
    private int _counting;

    public CasesPerState(ICaseCounts counts, TimeProvider clock)
    {
        _counts = counts;
        _clock = clock;
        // Its own meter of the cases' name, so the exporters that listen to the cases' metrics see it and it ends with the app.
        _meter = new Meter(CaseTelemetry.SourceName);
        _meter.CreateObservableGauge(GaugeName, Observe, "{case}", "Applications currently in each state, counted at most every five minutes");
        _countFailures = _meter.CreateCounter<long>("ali.cases.current.failed", "{count}", "Counts of cases per state that failed");
    }

    /// <summary>The last count, or null before the first has finished.</summary>
    public Snapshot? Last => Volatile.Read(ref _snapshot);

    /// <summary>The background count an observation started, if one is running (tests wait for it).</summary>
    public Task? Counting { get; private set; }

    /// <summary>Counts now, and keeps the result for the gauge.</summary>
    public async Task<Snapshot> RefreshAsync(CancellationToken cancellationToken)
    {
        var counts = await _counts.CountByStatusAsync(cancellationToken);
        var snapshot = new Snapshot(counts, _clock.GetUtcNow());
        Volatile.Write(ref _snapshot, snapshot);
        return snapshot;
    }

    /// <summary>What the gauge reports: every state, 0 where none, from the last count; starts a new count when it is stale.</summary>
    public IEnumerable<Measurement<long>> Observe()
    {
        var now = _clock.GetUtcNow();
        var last = Last;
        // A failed count is tried again after the same interval, not at every observation.
        if ((last is null || now - last.CountedAt >= RefreshInterval) && now - _lastTry >= RefreshInterval
            && Interlocked.CompareExchange(ref _counting, 1, 0) == 0)
        {
            _lastTry = now;
            Counting = Task.Run(async () =>
            {
                try
                {
                    await RefreshAsync(CancellationToken.None);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // The store is unreachable: the gauge keeps its last count; the store's own failures show elsewhere.
                    _countFailures.Add(1, new KeyValuePair<string, object?>("error", e.GetType().Name));
                }
                finally
                {
                    Volatile.Write(ref _counting, 0);
                }
            });
        }
        if (last is null)
        {
            return [];
        }
        return Enum.GetValues<ApplicationStatus>().Select(status => new Measurement<long>(
            last.Counts.GetValueOrDefault(status), new KeyValuePair<string, object?>("state", status.ToWire())));
    }


    public void Dispose() => _meter.Dispose();

    public sealed record Snapshot(IReadOnlyDictionary<ApplicationStatus, long> Counts, DateTimeOffset CountedAt);
}
