using System.Collections.Concurrent;
using System.Text.Json;
using Ali.Serverless.Common;

namespace Ali.Serverless.Adapters.Sqlite;

/// <summary>
/// The documents of one store parsed before, by their exact stored text (decision 30): a document read again unchanged
/// (an applicant polling a case, a worklist or a trail page read again) is not parsed again, while any change to the
/// stored text, by this process or another, is a different key and is parsed afresh. What is kept is the stored form
/// (personal data still encrypted, decision 13) and is shared by every caller, so the document types are immutable
/// records. Bounded by entries and by characters; when either bound is passed the memo starts again empty.
/// </summary>
internal sealed class ParsedDocuments<T>(int maxEntries = ParsedDocuments.MaxEntries, long maxChars = ParsedDocuments.MaxChars) where T : class
{
    private readonly ConcurrentDictionary<string, T> _parsed = new(StringComparer.Ordinal);
    private long _chars;

    public int Count => _parsed.Count;

    public T Parse(string json)
    {
        if (_parsed.TryGetValue(json, out var known))
        {
            return known;
        }
        var parsed = JsonSerializer.Deserialize<T>(json, DocumentJson.Options)
            ?? throw new JsonException($"A stored {typeof(T).Name} document is null.");
        if (_parsed.Count >= maxEntries || Interlocked.Add(ref _chars, json.Length) > maxChars)
        {
            // Starting again is cheaper than tracking ages, and a document still read often is back after one parse.
            _parsed.Clear();
            Interlocked.Exchange(ref _chars, json.Length);
        }
        _parsed.TryAdd(json, parsed);
        return parsed;
    }
}

internal static class ParsedDocuments
{
    public const int MaxEntries = 4096;

    /// <summary>About 16 MB of UTF-16 text per store at most, besides the parsed objects.</summary>
    public const long MaxChars = 8_000_000;
}
