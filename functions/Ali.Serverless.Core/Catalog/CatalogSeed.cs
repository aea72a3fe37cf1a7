using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ali.Serverless.Catalog;

/// <summary>
/// Loads the seeded catalog from the JSON data files shipped with the app and upserts every item.
/// Upserting the same files again changes nothing, so it runs at every start.
/// </summary>
public sealed class CatalogSeed(ICatalogStore store)
{
    private static readonly JsonSerializerOptions JsonOptions = new(Common.DocumentJson.Options)
    {
        // A typo in a data file must stop the start, not silently drop a field.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static IReadOnlyList<ServiceItem> Read(string directory)
    {
        var items = new List<ServiceItem>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            using var stream = File.OpenRead(file);
            var document = JsonSerializer.Deserialize<CatalogFile>(stream, JsonOptions)
                ?? throw new InvalidDataException($"{file} is empty.");
            items.AddRange(document.Items);
        }
        var duplicate = items.GroupBy(i => i.ItemCode).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidDataException($"Item code {duplicate.Key} appears more than once in the catalog files.");
        }
        return items;
    }

    public async Task<int> LoadAsync(string directory, CancellationToken cancellationToken)
    {
        var items = Read(directory);
        foreach (var item in items)
        {
            await store.UpsertAsync(item, cancellationToken);
        }
        return items.Count;
    }

    private sealed record CatalogFile(IReadOnlyList<ServiceItem> Items);
}
