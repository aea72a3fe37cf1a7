using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ali.Serverless.Catalog;

/// <summary>
/// Loads the seeded catalog from the JSON data files shipped with the app. Every file is read and
/// checked at every start (a typo stops the start), but only the items of files whose content hash
/// differs from the stored <see cref="CatalogVersion"/> are upserted, and the version is written only
/// when something changed: an instance that scales out with the same files starts without a write.
/// Upserting is idempotent, so a crash before the version is written only means the next start redoes it.
/// </summary>
public sealed class CatalogSeed(ICatalogStore store, TimeProvider time)
{
    private static readonly JsonSerializerOptions JsonOptions = new(Common.DocumentJson.Options)
    {
        // A typo in a data file must stop the start, not silently drop a field.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static IReadOnlyList<ServiceItem> Read(string directory) => ReadFiles(directory).SelectMany(f => f.Items).ToList();

    /// <summary>Every data file in name order with its SHA-256 and items; item codes unique across files.</summary>
    public static IReadOnlyList<CatalogFile> ReadFiles(string directory)
    {
        var files = new List<CatalogFile>();
        foreach (var path in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            var bytes = File.ReadAllBytes(path);
            var document = JsonSerializer.Deserialize<CatalogFileDocument>(bytes, JsonOptions)
                ?? throw new InvalidDataException($"{path} is empty.");
            files.Add(new CatalogFile(Path.GetFileName(path), Convert.ToHexStringLower(SHA256.HashData(bytes)), document.Items));
        }
        var duplicate = files.SelectMany(f => f.Items).GroupBy(i => i.ItemCode).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidDataException($"Item code {duplicate.Key} appears more than once in the catalog files.");
        }
        return files;
    }

    /// <summary>One hash over every file's name and hash, in name order: what instances compare.</summary>
    public static string VersionHash(IEnumerable<KeyValuePair<string, string>> files)
    {
        var text = string.Join("\n", files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}:{f.Value}"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    public async Task<CatalogLoad> LoadAsync(string directory, CancellationToken cancellationToken)
    {
        var files = ReadFiles(directory);
        var stored = await store.GetVersionAsync(cancellationToken);
        var changed = files.Where(f => stored is null || !stored.Files.TryGetValue(f.Name, out var hash) || hash != f.Hash).ToList();
        var hashes = files.ToDictionary(f => f.Name, f => f.Hash, StringComparer.Ordinal);
        var version = VersionHash(hashes);
        var upserted = 0;
        foreach (var item in changed.SelectMany(f => f.Items))
        {
            await store.UpsertAsync(item, cancellationToken);
            upserted++;
        }
        if (stored?.Hash != version)
        {
            await store.SaveVersionAsync(new CatalogVersion(version, hashes, time.GetUtcNow()), cancellationToken);
        }
        return new CatalogLoad(files.Sum(f => f.Items.Count), upserted, files.Count - changed.Count, version);
    }

    public sealed record CatalogFile(string Name, string Hash, IReadOnlyList<ServiceItem> Items);

    private sealed record CatalogFileDocument(IReadOnlyList<ServiceItem> Items);
}

/// <summary>What a start's load did: items in the files, items written, files skipped as unchanged, the version hash.</summary>
public sealed record CatalogLoad(int Items, int Upserted, int UnchangedFiles, string Version);
