using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ali.Serverless.Common;

namespace Ali.Serverless.Translations;

/// <summary>What an import did, or why it did nothing.</summary>
/// <param name="Refusals">One line per refused unit; when there is any, no file was written.</param>
/// <param name="Added">Texts that got their first Tibetan.</param>
/// <param name="Revised">Texts whose Tibetan was replaced.</param>
/// <param name="Current">Units whose target equals the Tibetan already there.</param>
/// <param name="WithoutTarget">Units with no target, or one of whitespace only: nothing to import.</param>
/// <param name="CopiedSource">Units whose target is the Chinese source unchanged, as tools pre-fill it: not a translation.</param>
/// <param name="VersionsRaised">Entries whose version went up, as "key: from → to".</param>
public sealed record ImportOutcome(
    IReadOnlyList<string> Refusals,
    int Added,
    int Revised,
    int Current,
    int WithoutTarget,
    int CopiedSource,
    IReadOnlyList<string> FilesWritten,
    IReadOnlyList<string> VersionsRaised);

/// <summary>
/// Writes the Tibetan of an XLIFF file back into the data files, all or nothing: every unit is checked first,
/// and one refusal leaves every file as it was.
/// </summary>
public static class TranslationImport
{
    public static ImportOutcome Run(string repositoryRoot, string xliffPath, IReadOnlyList<TextSource> sources)
    {
        var inventory = TextInventory.Read(repositoryRoot, sources);
        var units = Xliff.Read(xliffPath);
        var refusals = new List<string>();
        foreach (var twice in units.GroupBy(u => u.Id).Where(g => g.Count() > 1))
        {
            refusals.Add($"Unit '{twice.Key}' appears {twice.Count()} times in the file: keep one.");
        }
        var changes = new List<(TranslatableText Text, string Bo)>();
        int withoutTarget = 0, copiedSource = 0, current = 0;
        foreach (var unit in units.DistinctBy(u => u.Id))
        {
            if (string.IsNullOrWhiteSpace(unit.Target))
            {
                withoutTarget++;
                continue;
            }
            var text = inventory.Find(unit.Id);
            if (text is null)
            {
                refusals.Add($"Unit '{unit.Id}': no such text in the repository (renamed or removed since the export?).");
                continue;
            }
            if (unit.Source != text.Zh)
            {
                // The Chinese changed after the export, so the translation may say something the text no longer says.
                refusals.Add($"Unit '{unit.Id}': the Chinese changed since the export; the translation may be stale. "
                    + $"Exported: \"{unit.Source}\"; now: \"{text.Zh}\". Export again and check the translation against the new text.");
                continue;
            }
            if (!PlaceholderText.SameSet(unit.Target, text.Zh))
            {
                refusals.Add($"Unit '{unit.Id}': the target's placeholders ({PlaceholderText.Describe(unit.Target)}) differ from the source's "
                    + $"({PlaceholderText.Describe(text.Zh)}); each must appear as often as in the source, unchanged.");
                continue;
            }
            if (unit.Target == text.Zh)
            {
                copiedSource++;
                continue;
            }
            if (unit.Target == text.Bo)
            {
                current++;
                continue;
            }
            changes.Add((text, unit.Target));
        }
        if (refusals.Count > 0)
        {
            return new ImportOutcome(refusals, 0, 0, current, withoutTarget, copiedSource, [], []);
        }

        var writes = new List<(string Path, byte[] Bytes)>();
        var raised = new List<string>();
        foreach (var file in changes.Where(c => c.Text.Source.TibetanLocation is not null).GroupBy(c => c.Text.Source))
        {
            writes.Add((Path.Combine(repositoryRoot, file.Key.TibetanLocation!), LanguageFile(repositoryRoot, file.Key, inventory, file.ToList())));
        }
        foreach (var file in changes.Where(c => c.Text.Source.TibetanLocation is null).GroupBy(c => c.Text.File))
        {
            var edits = new List<JsonEdit>();
            edits.AddRange(file.Select(c => new SetString(c.Text.Pointer, Language.Tibetan, c.Bo, After: Language.Chinese)));
            // A template's version goes up by one per import that changes any of its texts.
            foreach (var entry in file.Where(c => c.Text.VersionPointer is not null).Select(c => c.Text).DistinctBy(t => t.VersionPointer))
            {
                edits.Add(new SetNumber(entry.VersionPointer!, entry.Source.VersionProperty!, entry.Version!.Value + 1));
                raised.Add($"{entry.EntryKey}: {entry.Version} → {entry.Version + 1}");
            }
            var path = Path.Combine(repositoryRoot, file.Key);
            var edited = JsonTextEditor.Apply(File.ReadAllBytes(path), edits);
            Check(file.Key, edited, file.ToList(), sources);
            writes.Add((path, edited));
        }
        foreach (var (path, bytes) in writes)
        {
            File.WriteAllBytes(path, bytes);
        }
        return new ImportOutcome(
            [],
            changes.Count(c => c.Text.LacksTibetan),
            changes.Count(c => !c.Text.LacksTibetan),
            current,
            withoutTarget,
            copiedSource,
            [.. changes.Select(c => c.Text.File).Distinct()],
            raised);
    }

    /// <summary>
    /// The Tibetan file of a one-file-per-language source, written whole: its texts in the Chinese file's order,
    /// Tibetan written as it is (only what JSON requires escaped), two-space indentation.
    /// </summary>
    private static byte[] LanguageFile(string repositoryRoot, TextSource source, TextInventory inventory, IReadOnlyList<(TranslatableText Text, string Bo)> changes)
    {
        var bo = new JsonObject();
        foreach (var text in inventory.Texts.Where(t => t.Source == source))
        {
            var value = changes.FirstOrDefault(c => c.Text == text).Bo ?? text.Bo;
            if (!string.IsNullOrWhiteSpace(value))
            {
                bo[text.EntryKey] = value;
            }
        }
        var json = bo.ToJsonString(new JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }) + "\n";
        var read = JsonNode.Parse(json)!.AsObject();
        foreach (var (text, value) in changes)
        {
            if (read[text.EntryKey]?.GetValue<string>() != value)
            {
                throw new InvalidOperationException($"{source.TibetanLocation}: writing '{text.Id}' did not give the expected text; nothing was written.");
            }
        }
        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(json);
    }

    /// <summary>Before anything is written: the edited file reads back with the new Tibetan, and loads as the app loads it.</summary>
    private static void Check(string file, byte[] edited, IReadOnlyList<(TranslatableText Text, string Bo)> changes, IReadOnlyList<TextSource> sources)
    {
        var json = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(edited).TrimStart('\uFEFF');
        var root = JsonNode.Parse(json)!;
        foreach (var (text, bo) in changes)
        {
            if (At(root, text.Pointer)?[Language.Tibetan]?.GetValue<string>() != bo)
            {
                throw new InvalidOperationException($"{file}: writing '{text.Id}' did not give the expected text; nothing was written.");
            }
        }
        foreach (var source in sources.Where(s => changes.Any(c => c.Text.Source == s)).Select(s => s.CheckLoads).OfType<Action<string>>().Distinct())
        {
            try
            {
                source(json);
            }
            catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
            {
                throw new TranslationDataException($"{file} would no longer load after the import, so nothing was written: {e.Message}");
            }
        }
    }

    private static JsonNode? At(JsonNode root, string pointer)
    {
        var node = root;
        foreach (var token in pointer.Split('/').Skip(1).Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)))
        {
            node = node switch
            {
                JsonArray array => array[int.Parse(token, System.Globalization.CultureInfo.InvariantCulture)],
                JsonObject obj => obj[token],
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }
        return node;
    }
}
