using Ali.Serverless.Catalog;

namespace Ali.Serverless.Core.Tests.Support;

/// <summary>A catalog store in memory that records its writes and counts its reads, shared by "instances" in a test.</summary>
internal sealed class InMemoryCatalogStore : ICatalogStore
{
    private readonly Dictionary<string, ServiceItem> _items = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public List<string> Writes { get; } = [];
    public int ListReads { get; private set; }
    public int VersionReads { get; private set; }
    public int ItemReads { get; private set; }
    public CatalogVersion? Version { get; private set; }
    public bool FailSaveVersion { get; set; }

    public Task UpsertAsync(ServiceItem item, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _items[item.ItemCode] = item;
            Writes.Add($"upsert {item.ItemCode}");
        }
        return Task.CompletedTask;
    }

    public Task<ServiceItem?> GetAsync(string itemCode, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ItemReads++;
            return Task.FromResult(_items.GetValueOrDefault(itemCode));
        }
    }

    public Task<IReadOnlyList<ServiceItem>> ListAsync(string? departmentCode, string? itemType, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ListReads++;
            IReadOnlyList<ServiceItem> items = _items.Values
                .Where(i => (departmentCode is null || i.DepartmentCode == departmentCode) && (itemType is null || i.ItemType == itemType))
                .OrderBy(i => i.ItemCode, StringComparer.Ordinal).ToList();
            return Task.FromResult(items);
        }
    }

    public Task<CatalogVersion?> GetVersionAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            VersionReads++;
            return Task.FromResult(Version);
        }
    }

    public Task SaveVersionAsync(CatalogVersion version, CancellationToken cancellationToken)
    {
        if (FailSaveVersion)
        {
            throw new IOException("The store went away before the version was written.");
        }
        lock (_lock)
        {
            Version = version;
            Writes.Add("save-version");
        }
        return Task.CompletedTask;
    }
}
