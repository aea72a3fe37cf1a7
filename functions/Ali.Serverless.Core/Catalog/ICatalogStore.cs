namespace Ali.Serverless.Catalog;

/// <summary>Where the service catalog is kept.</summary>
public interface ICatalogStore
{
    /// <summary>Inserts or replaces the item with the same <see cref="ServiceItem.ItemCode"/>.</summary>
    Task UpsertAsync(ServiceItem item, CancellationToken cancellationToken);

    Task<ServiceItem?> GetAsync(string itemCode, CancellationToken cancellationToken);

    /// <summary>Items matching the structured filters (null = any), ordered by item code.</summary>
    Task<IReadOnlyList<ServiceItem>> ListAsync(string? departmentCode, string? itemType, CancellationToken cancellationToken);

    /// <summary>What the last catalog load wrote (one small document, one point read); null before the first load.</summary>
    Task<CatalogVersion?> GetVersionAsync(CancellationToken cancellationToken);

    /// <summary>Written last by a load, after its items: a reader that sees a new version finds the new items.</summary>
    Task SaveVersionAsync(CatalogVersion version, CancellationToken cancellationToken);
}

/// <summary>
/// The content hash of every catalog data file as last loaded into the store, and one hash over all
/// of them. Instances compare <see cref="Hash"/> with the catalog they hold in memory, and a starting
/// instance compares the file hashes with its own files, so an unchanged file is not written again.
/// </summary>
public sealed record CatalogVersion(string Hash, IReadOnlyDictionary<string, string> Files, DateTimeOffset LoadedAt);
