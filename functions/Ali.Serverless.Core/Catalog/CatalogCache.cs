namespace Ali.Serverless.Catalog;

/// <summary>How often an instance asks the store whether the catalog changed.</summary>
public sealed record CatalogCacheOptions
{
    /// <summary>
    /// One point read of the version document per interval per instance; a change reaches every
    /// instance within it. The catalog changes with a deployment, so half a minute is plenty.
    /// </summary>
    public TimeSpan VersionCheckInterval { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// The catalog held in memory in front of the store. Every read (the portal's list, an item, the
/// workflow's and the intake's look-ups) is answered from one immutable snapshot; at most once per
/// <see cref="CatalogCacheOptions.VersionCheckInterval"/> one caller reads the store's
/// <see cref="CatalogVersion"/> and, only when its hash differs from the snapshot's, reads the whole
/// catalog again. Other callers meanwhile keep the snapshot they have, so no request waits on a check
/// once the first snapshot exists. Instances converge because they all compare with the same document.
/// </summary>
public sealed class CatalogCache(ICatalogStore store, TimeProvider time, CatalogCacheOptions options) : ICatalogStore
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private Snapshot? _snapshot;
    private long _generation;

    /// <summary>How many times the whole catalog was read from the store (for tests and counters).</summary>
    public int Loads => _loads;
    private int _loads;

    public async Task<ServiceItem?> GetAsync(string itemCode, CancellationToken cancellationToken) =>
        (await CurrentAsync(cancellationToken)).ByCode.GetValueOrDefault(itemCode);

    public async Task<IReadOnlyList<ServiceItem>> ListAsync(string? departmentCode, string? itemType, CancellationToken cancellationToken)
    {
        var snapshot = await CurrentAsync(cancellationToken);
        if (departmentCode is null && itemType is null)
        {
            return snapshot.Items;
        }
        IEnumerable<ServiceItem> items = departmentCode is null
            ? snapshot.Items
            : snapshot.ByDepartment.GetValueOrDefault(departmentCode, []);
        return itemType is null ? items.ToList() : items.Where(i => i.ItemType == itemType).ToList();
    }

    /// <summary>Writes through, and this instance reads the catalog again on its next request.</summary>
    public async Task UpsertAsync(ServiceItem item, CancellationToken cancellationToken)
    {
        await store.UpsertAsync(item, cancellationToken);
        Invalidate();
    }

    public Task<CatalogVersion?> GetVersionAsync(CancellationToken cancellationToken) => store.GetVersionAsync(cancellationToken);

    public async Task SaveVersionAsync(CatalogVersion version, CancellationToken cancellationToken)
    {
        await store.SaveVersionAsync(version, cancellationToken);
        Invalidate();
    }

    private void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        Volatile.Write(ref _snapshot, null);
    }

    private async ValueTask<Snapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot is not null && time.GetUtcNow() < snapshot.CheckedAt + options.VersionCheckInterval)
        {
            return snapshot;
        }
        if (snapshot is not null)
        {
            // Someone is already checking: answer from what we have rather than queue behind the store.
            if (!_refresh.Wait(0))
            {
                return snapshot;
            }
        }
        else
        {
            await _refresh.WaitAsync(cancellationToken);
        }
        try
        {
            var generation = Interlocked.Read(ref _generation);
            snapshot = Volatile.Read(ref _snapshot);
            var now = time.GetUtcNow();
            if (snapshot is not null && now < snapshot.CheckedAt + options.VersionCheckInterval)
            {
                return snapshot;
            }
            // Version first, items second: a load writes them in the other order, so the items are at least that new.
            var version = await store.GetVersionAsync(cancellationToken);
            Snapshot next;
            if (snapshot is not null && version?.Hash == snapshot.Version)
            {
                next = snapshot with { CheckedAt = now };
            }
            else
            {
                next = Snapshot.Of(version?.Hash, await store.ListAsync(null, null, cancellationToken), now);
                Interlocked.Increment(ref _loads);
            }
            // An upsert on this instance while we read: keep the snapshot for this caller only.
            if (Interlocked.Read(ref _generation) == generation)
            {
                Volatile.Write(ref _snapshot, next);
            }
            return next;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private sealed record Snapshot(
        string? Version,
        IReadOnlyList<ServiceItem> Items,
        IReadOnlyDictionary<string, ServiceItem> ByCode,
        IReadOnlyDictionary<string, IReadOnlyList<ServiceItem>> ByDepartment,
        DateTimeOffset CheckedAt)
    {
        public static Snapshot Of(string? version, IReadOnlyList<ServiceItem> items, DateTimeOffset checkedAt)
        {
            var ordered = items.OrderBy(i => i.ItemCode, StringComparer.Ordinal).ToList();
            return new(version, ordered.AsReadOnly(),
                ordered.ToDictionary(i => i.ItemCode, StringComparer.Ordinal),
                ordered.GroupBy(i => i.DepartmentCode, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => (IReadOnlyList<ServiceItem>)g.ToList(), StringComparer.Ordinal),
                checkedAt);
        }
    }
}
