namespace Ali.Serverless.Catalog;

/// <summary>Where the service catalog is kept.</summary>
public interface ICatalogStore
{
    /// <summary>Inserts or replaces the item with the same <see cref="ServiceItem.ItemCode"/>.</summary>
    Task UpsertAsync(ServiceItem item, CancellationToken cancellationToken);

    Task<ServiceItem?> GetAsync(string itemCode, CancellationToken cancellationToken);

    /// <summary>Items matching the structured filters (null = any), ordered by item code.</summary>
    Task<IReadOnlyList<ServiceItem>> ListAsync(string? departmentCode, string? itemType, CancellationToken cancellationToken);
}
