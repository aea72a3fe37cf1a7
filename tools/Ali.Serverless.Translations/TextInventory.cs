using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using Ali.Serverless.Common;

namespace Ali.Serverless.Translations;

/// <summary>The data files are not as the tool expects them; nothing is written.</summary>
public sealed class TranslationDataException(string message) : Exception(message);

/// <summary>One <c>{zh, bo}</c> text of a data file and where it lives.</summary>
/// <param name="Id">The unit id: <c>{source}:{entry key}:{field path}</c>.</param>
/// <param name="File">Repository-relative path of the JSON file, with <c>/</c>.</param>
/// <param name="Pointer">JSON Pointer (RFC 6901) of the text's object, e.g. <c>/items/0/materials/1/name</c>.</param>
/// <param name="Context">What the text is, for the translator.</param>
/// <param name="VersionPointer">JSON Pointer of the entry holding the version to raise, when the source has one.</param>
/// <param name="Version">That version now.</param>
public sealed record TranslatableText(
    string Id,
    TextSource Source,
    string EntryKey,
    string File,
    string Pointer,
    string Zh,
    string? Bo,
    string Context,
    string? VersionPointer,
    int? Version)
{
    /// <summary>Shown in Chinese at run time for lack of Tibetan, as <see cref="LocalizedText.In"/> decides.</summary>
    public bool LacksTibetan => string.IsNullOrWhiteSpace(Bo);
}

/// <summary>Every translatable text of the repository, read from the sources' files.</summary>
public sealed class TextInventory
{
    private readonly Dictionary<string, TranslatableText> _byId;

    private TextInventory(IReadOnlyList<TranslatableText> texts)
    {
        Texts = texts;
        _byId = new Dictionary<string, TranslatableText>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            if (!_byId.TryAdd(text.Id, text))
            {
                throw new TranslationDataException(
                    $"Two texts would have the unit id '{text.Id}' ({_byId[text.Id].File} and {text.File}): their keys must be unique.");
            }
        }
    }

    /// <summary>The texts in source order, then file order, then document order.</summary>
    public IReadOnlyList<TranslatableText> Texts { get; }

    public TranslatableText? Find(string id) => _byId.GetValueOrDefault(id);

    public static TextInventory Read(string repositoryRoot, IReadOnlyList<TextSource> sources)
    {
        var texts = new List<TranslatableText>();
        foreach (var source in sources)
        {
            if (source.TibetanLocation is not null)
            {
                texts.AddRange(ReadLanguageFiles(repositoryRoot, source));
                continue;
            }
            foreach (var file in source.FilesIn(repositoryRoot))
            {
                texts.AddRange(ReadFile(source, file, ParseFile(repositoryRoot, file)));
            }
        }
        return new TextInventory(texts);
    }

    /// <summary>
    /// Texts kept one flat file per language: each key of the Chinese file is a text, its Tibetan the same key
    /// of the Tibetan file (absent: missing). The text "lives" in the Tibetan file, where the import writes.
    /// </summary>
    private static IEnumerable<TranslatableText> ReadLanguageFiles(string repositoryRoot, TextSource source)
    {
        var chinese = ParseFile(repositoryRoot, source.FilesIn(repositoryRoot)[0]) as JsonObject
            ?? throw new TranslationDataException($"{source.Location} is not a JSON object of texts.");
        var tibetanPath = Path.Combine(repositoryRoot, source.TibetanLocation!);
        var tibetan = File.Exists(tibetanPath)
            ? ParseFile(repositoryRoot, source.TibetanLocation!) as JsonObject
                ?? throw new TranslationDataException($"{source.TibetanLocation} is not a JSON object of texts.")
            : [];
        foreach (var key in tibetan.Select(p => p.Key).Where(k => !chinese.ContainsKey(k)))
        {
            throw new TranslationDataException($"{source.TibetanLocation} has '{key}', which {source.Location} does not: every text starts in Chinese.");
        }
        foreach (var (key, value) in chinese)
        {
            var where = $"{source.Location}, '{key}'";
            if (key.Contains(':', StringComparison.Ordinal) || !IsNameToken(key))
            {
                throw new TranslationDataException($"{where} cannot be part of a unit id (letters, digits, '.', '-', '_' only).");
            }
            var zh = value is JsonValue v && v.TryGetValue<string>(out var text) ? text : throw new TranslationDataException($"{where} is not a string.");
            var bo = tibetan[key] is JsonValue b && b.TryGetValue<string>(out var t) ? t : null;
            var context = $"{source.FieldLabels.Values.First()}: {key}";
            yield return new TranslatableText($"{source.Name}:{key}", source, key, source.TibetanLocation!, $"/{Escape(key)}", zh, bo, context, null, null);
        }
    }

    private static JsonNode ParseFile(string repositoryRoot, string file)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(Path.Combine(repositoryRoot, file)))
                ?? throw new TranslationDataException($"{file} is empty.");
        }
        catch (JsonException e)
        {
            throw new TranslationDataException($"{file} is not valid JSON: {e.Message}");
        }
    }

    private static IEnumerable<TranslatableText> ReadFile(TextSource source, string file, JsonNode root)
    {
        if (root[source.ListProperty] is not JsonArray entries)
        {
            // A file without the list (templates.json without terms) has no texts of this source.
            yield break;
        }
        for (var i = 0; i < entries.Count; i++)
        {
            var where = $"{file}, {source.ListProperty}[{i}]";
            var entry = entries[i] as JsonObject ?? throw new TranslationDataException($"{where} is not an object.");
            var key = KeyOf(entry, source.KeyProperty, where);
            var entryPointer = $"/{Escape(source.ListProperty)}/{i}";
            var versionPointer = source.VersionProperty is null ? null : entryPointer;
            int? version = source.VersionProperty is null
                ? null
                : entry[source.VersionProperty] is JsonValue v && v.TryGetValue<int>(out var n)
                    ? n
                    : throw new TranslationDataException($"{where} ('{key}') has no whole-number '{source.VersionProperty}'.");
            var entryContext = source.DescribeEntry(entry);
            // The entry's own texts first, then each material's together, as a translator reads the item.
            var texts = source.Fields
                .SelectMany((field, order) => Resolve(entry, field.Split('/'), entryPointer, [], [], where).Select(found => (field, order, found)))
                .OrderBy(t => t.found.Pointer, ArrayIndexOrder.Instance)
                .ThenBy(t => t.order);
            foreach (var (field, _, found) in texts)
            {
                var id = source.Fields.Count == 1
                    ? $"{source.Name}:{key}"
                    : $"{source.Name}:{key}:{string.Join(':', found.IdParts)}";
                var label = source.FieldLabels.GetValueOrDefault(field, field);
                var context = found.Elements.Count == 0
                    ? $"{entryContext}; 字段 field: {label}"
                    : $"{entryContext}; {string.Join(", ", found.Elements)}; 字段 field: {label}";
                yield return new TranslatableText(id, source, key, file, found.Pointer, found.Zh, found.Bo, context, versionPointer, version);
            }
        }
    }

    private sealed record Found(string Pointer, IReadOnlyList<string> IdParts, IReadOnlyList<string> Elements, string Zh, string? Bo);

    /// <summary>The texts at one field path below <paramref name="node"/>: none when the field is absent.</summary>
    private static IEnumerable<Found> Resolve(
        JsonObject node, ReadOnlyMemory<string> path, string pointer, IReadOnlyList<string> idParts, IReadOnlyList<string> elements, string where)
    {
        var segment = path.Span[0];
        var rest = path[1..];
        var open = segment.IndexOf('[', StringComparison.Ordinal);
        if (open > 0)
        {
            // materials[code]: every element of the array, named by its key.
            var property = segment[..open];
            var keyProperty = segment[(open + 1)..^1];
            if (node[property] is not JsonArray array)
            {
                yield break;
            }
            for (var j = 0; j < array.Count; j++)
            {
                var elementWhere = $"{where}, {property}[{j}]";
                var element = array[j] as JsonObject ?? throw new TranslationDataException($"{elementWhere} is not an object.");
                var key = KeyOf(element, keyProperty, elementWhere);
                var name = element["name"] is JsonObject n && n[Language.Chinese] is JsonValue zh ? $"「{zh}」" : "";
                foreach (var found in Resolve(element, rest, $"{pointer}/{Escape(property)}/{j}", [.. idParts, property, key], [.. elements, $"{property} {key}{name}"], elementWhere))
                {
                    yield return found;
                }
            }
            yield break;
        }
        var child = node[segment];
        if (child is null)
        {
            yield break;
        }
        var childPointer = $"{pointer}/{Escape(segment)}";
        if (!rest.IsEmpty)
        {
            if (child is JsonObject inner)
            {
                foreach (var found in Resolve(inner, rest, childPointer, [.. idParts, segment], elements, where))
                {
                    yield return found;
                }
            }
            yield break;
        }
        if (child is not JsonObject text
            || text[Language.Chinese] is not JsonValue zhValue || !zhValue.TryGetValue<string>(out var zhText) || string.IsNullOrWhiteSpace(zhText))
        {
            throw new TranslationDataException($"{where}: '{segment}' is not a text with a Chinese \"zh\".");
        }
        string? bo = null;
        if (text[Language.Tibetan] is { } boNode && (boNode is not JsonValue boValue || !boValue.TryGetValue(out bo)))
        {
            throw new TranslationDataException($"{where}: '{segment}' has a \"bo\" that is not a string.");
        }
        yield return new Found(childPointer, [.. idParts, segment], elements, zhText, bo);
    }

    private static string KeyOf(JsonObject entry, string keyProperty, string where)
    {
        var key = entry[keyProperty] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (string.IsNullOrEmpty(key))
        {
            throw new TranslationDataException($"{where} has no '{keyProperty}'.");
        }
        // Keys become XLIFF unit ids, which are XML name tokens; ':' separates the parts of an id.
        if (key.Contains(':', StringComparison.Ordinal) || !IsNameToken(key))
        {
            throw new TranslationDataException($"{where}: '{keyProperty}' \"{key}\" cannot be part of a unit id (letters, digits, '.', '-', '_' only).");
        }
        return key;
    }

    private static bool IsNameToken(string value)
    {
        try
        {
            XmlConvert.VerifyNMTOKEN(value);
            return true;
        }
        catch (XmlException)
        {
            return false;
        }
    }

    /// <summary>Orders JSON Pointers by the array indices along them (<c>/materials/0/...</c> before <c>/materials/1/...</c>).</summary>
    private sealed class ArrayIndexOrder : IComparer<string>
    {
        public static readonly ArrayIndexOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            var a = Indices(x!);
            var b = Indices(y!);
            for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
            {
                if (a[i] != b[i])
                {
                    return a[i].CompareTo(b[i]);
                }
            }
            return a.Count.CompareTo(b.Count);
        }

        private static List<int> Indices(string pointer) =>
            [.. pointer.Split('/').Select(t => int.TryParse(t, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : -1).Where(n => n >= 0)];
    }

    /// <summary>A JSON Pointer reference token (RFC 6901).</summary>
    public static string Escape(string property) => property.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
