using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Ali.Serverless.Common;

namespace Ali.Serverless.Translations;

/// <summary>
/// The exchange file: XLIFF 2.0 core, Chinese source and Tibetan target, one <c>&lt;file&gt;</c> per data file and
/// one <c>&lt;unit&gt;</c> with a single <c>&lt;segment&gt;</c> per text. Placeholders are <c>&lt;ph&gt;</c> elements
/// that may not be deleted, so translation tools protect them while letting them move.
/// </summary>
public static class Xliff
{
    public static readonly XNamespace Ns = "urn:oasis:names:tc:xliff:document:2.0";

    /// <summary>Writes every text of <paramref name="inventory"/>, with its Tibetan as target when it has one.</summary>
    public static void Write(TextInventory inventory, Stream output)
    {
        var settings = new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            // Indenting by hand: an XmlWriter that indents would also put line breaks into <source> when it
            // starts with a <ph>, and those would become part of the text.
            Indent = false,
            NewLineChars = "\n",
            NewLineHandling = NewLineHandling.Replace,
        };
        using var w = XmlWriter.Create(output, settings);
        var ns = Ns.NamespaceName;
        w.WriteStartDocument();
        w.WriteWhitespace("\n");
        w.WriteStartElement("xliff", ns);
        w.WriteAttributeString("version", "2.0");
        w.WriteAttributeString("srcLang", Language.Chinese);
        w.WriteAttributeString("trgLang", Language.Tibetan);
        var fileIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in inventory.Texts.GroupBy(t => t.File))
        {
            Line(w, 1);
            w.WriteStartElement("file", ns);
            w.WriteAttributeString("id", FileId(file.Key, fileIds));
            w.WriteAttributeString("original", file.Key);
            // One segment per text: the import compares whole texts.
            w.WriteAttributeString("canResegment", "no");
            foreach (var text in file)
            {
                WriteUnit(w, text);
            }
            Line(w, 1);
            w.WriteEndElement();
        }
        Line(w, 0);
        w.WriteEndElement();
        w.WriteWhitespace("\n");
        w.WriteEndDocument();
    }

    private static void WriteUnit(XmlWriter w, TranslatableText text)
    {
        var ns = Ns.NamespaceName;
        Line(w, 2);
        w.WriteStartElement("unit", ns);
        w.WriteAttributeString("id", text.Id);
        Line(w, 3);
        w.WriteStartElement("notes", ns);
        Note(w, "context", text.Context);
        if (PlaceholderText.Describe(text.Zh) is var placeholders && placeholders != "none")
        {
            Note(w, "placeholders", $"占位符 placeholders, keep each exactly as it is, in any order: {placeholders}");
        }
        Line(w, 3);
        w.WriteEndElement();
        Line(w, 3);
        w.WriteStartElement("segment", ns);
        if (!text.LacksTibetan)
        {
            w.WriteAttributeString("state", "translated");
        }
        var phIds = new List<(string Id, string Text)>();
        Line(w, 4);
        w.WriteStartElement("source", ns);
        w.WriteAttributeString("xml", "space", null, "preserve");
        var n = 0;
        foreach (var run in PlaceholderText.Split(text.Zh))
        {
            if (run.IsPlaceholder)
            {
                var id = (++n).ToString(CultureInfo.InvariantCulture);
                phIds.Add((id, run.Text));
                Placeholder(w, id, run.Text);
            }
            else
            {
                Chars(w, run.Text);
            }
        }
        w.WriteEndElement();
        if (!text.LacksTibetan)
        {
            Line(w, 4);
            w.WriteStartElement("target", ns);
            w.WriteAttributeString("xml", "space", null, "preserve");
            foreach (var run in PlaceholderText.Split(text.Bo!))
            {
                // A target's codes refer to the source's by id; one the source lacks stays plain text for the import to refuse.
                var match = run.IsPlaceholder ? phIds.FindIndex(p => p.Text == run.Text) : -1;
                if (match >= 0)
                {
                    Placeholder(w, phIds[match].Id, run.Text);
                    phIds.RemoveAt(match);
                }
                else
                {
                    Chars(w, run.Text);
                }
            }
            w.WriteEndElement();
        }
        Line(w, 3);
        w.WriteEndElement();
        Line(w, 2);
        w.WriteEndElement();
    }

    private static void Placeholder(XmlWriter w, string id, string text)
    {
        w.WriteStartElement("ph", Ns.NamespaceName);
        w.WriteAttributeString("id", id);
        w.WriteAttributeString("canDelete", "no");
        w.WriteAttributeString("equiv", text);
        w.WriteAttributeString("disp", text);
        w.WriteEndElement();
    }

    private static void Note(XmlWriter w, string category, string text)
    {
        Line(w, 4);
        w.WriteStartElement("note", Ns.NamespaceName);
        w.WriteAttributeString("category", category);
        w.WriteString(text);
        w.WriteEndElement();
    }

    /// <summary>Text, with a character XML cannot carry written as <c>&lt;cp hex&gt;</c>.</summary>
    private static void Chars(XmlWriter w, string text)
    {
        var plain = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
            {
                plain.Append(text, i++, 2);
            }
            else if (XmlConvert.IsXmlChar(text[i]))
            {
                plain.Append(text[i]);
            }
            else
            {
                w.WriteString(plain.ToString());
                plain.Clear();
                w.WriteStartElement("cp", Ns.NamespaceName);
                w.WriteAttributeString("hex", ((int)text[i]).ToString("X4", CultureInfo.InvariantCulture));
                w.WriteEndElement();
            }
        }
        w.WriteString(plain.ToString());
    }

    private static void Line(XmlWriter w, int depth) => w.WriteWhitespace("\n" + new string(' ', 2 * depth));

    /// <summary>The data file's name, unique in the export (a file id is an XML name token; <c>original</c> has the path).</summary>
    private static string FileId(string file, HashSet<string> taken)
    {
        var name = Path.GetFileName(file);
        var id = name;
        for (var i = 2; !taken.Add(id); i++)
        {
            id = $"{name}-{i}";
        }
        return id;
    }

    /// <summary>
    /// Reads the units of an XLIFF 2.0 file (zh to bo), at any depth of groups. A unit's source and target are
    /// its segments' joined in order, with placeholders written back as <c>{name}</c>.
    /// </summary>
    public static IReadOnlyList<XliffUnit> Read(string path)
    {
        XDocument document;
        try
        {
            document = XDocument.Load(path, LoadOptions.PreserveWhitespace);
        }
        catch (XmlException e)
        {
            throw new TranslationDataException($"{path} is not well-formed XML: {e.Message}");
        }
        var root = document.Root!;
        if (root.Name != Ns + "xliff")
        {
            throw new TranslationDataException($"{path} is not XLIFF 2: its root is {root.Name}, expected <xliff xmlns=\"{Ns.NamespaceName}\">.");
        }
        var version = (string?)root.Attribute("version");
        if (version is not ("2.0" or "2.1"))
        {
            throw new TranslationDataException($"{path} has XLIFF version \"{version}\"; 2.0 is expected.");
        }
        if (!IsLanguage((string?)root.Attribute("srcLang"), Language.Chinese) || !IsLanguage((string?)root.Attribute("trgLang"), Language.Tibetan))
        {
            throw new TranslationDataException(
                $"{path} translates {(string?)root.Attribute("srcLang")} to {(string?)root.Attribute("trgLang")}; srcLang \"zh\" and trgLang \"bo\" are expected.");
        }
        var units = new List<XliffUnit>();
        foreach (var file in root.Elements(Ns + "file"))
        {
            var original = (string?)file.Attribute("original") ?? (string?)file.Attribute("id") ?? "";
            foreach (var unit in file.Descendants(Ns + "unit"))
            {
                units.Add(ReadUnit(unit, original));
            }
        }
        return units;
    }

    private static bool IsLanguage(string? tag, string language) =>
        tag is not null && (tag.Equals(language, StringComparison.OrdinalIgnoreCase) || tag.StartsWith(language + "-", StringComparison.OrdinalIgnoreCase));

    private static XliffUnit ReadUnit(XElement unit, string file)
    {
        var id = (string?)unit.Attribute("id") ?? throw new TranslationDataException($"A unit in <file original=\"{file}\"> has no id.");
        var data = unit.Element(Ns + "originalData")?.Elements(Ns + "data")
            .ToDictionary(d => (string?)d.Attribute("id") ?? "", d => d.Value, StringComparer.Ordinal) ?? [];
        var parts = unit.Elements().Where(e => e.Name == Ns + "segment" || e.Name == Ns + "ignorable").ToList();
        var codes = new Dictionary<string, string>(StringComparer.Ordinal);
        var source = new StringBuilder();
        foreach (var part in parts)
        {
            var element = part.Element(Ns + "source") ?? throw new TranslationDataException($"Unit '{id}': a segment has no <source>.");
            Flatten(element, id, data, codes, fromSource: true, source);
        }
        var target = new StringBuilder();
        var translated = 0;
        var untranslated = 0;
        foreach (var part in parts)
        {
            if (part.Element(Ns + "target") is { } element)
            {
                Flatten(element, id, data, codes, fromSource: false, target);
                translated += part.Name == Ns + "segment" ? 1 : 0;
            }
            else if (part.Name == Ns + "ignorable")
            {
                // Whitespace between segments: the target keeps the source's.
                Flatten(part.Element(Ns + "source")!, id, data, codes, fromSource: false, target);
            }
            else
            {
                untranslated++;
            }
        }
        if (translated > 0 && untranslated > 0)
        {
            throw new TranslationDataException($"Unit '{id}': only {translated} of its {translated + untranslated} segments have a target.");
        }
        return new XliffUnit(id, file, source.ToString(), translated > 0 ? target.ToString() : null);
    }

    /// <summary>The text of a source or target; a <c>&lt;ph&gt;</c> becomes the placeholder it stands for.</summary>
    private static void Flatten(
        XElement element, string unitId, IReadOnlyDictionary<string, string> data, Dictionary<string, string> codes, bool fromSource, StringBuilder into)
    {
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XText text:
                    into.Append(text.Value);
                    break;
                case XElement e when e.Name == Ns + "ph":
                    into.Append(PlaceholderOf(e, unitId, data, codes, fromSource));
                    break;
                case XElement e when e.Name == Ns + "cp":
                    into.Append(CodePoint(e, unitId));
                    break;
                case XElement e when e.Name == Ns + "pc" || e.Name == Ns + "mrk":
                    // Formatting and annotations (terms, comments) that tools may add: their content is text.
                    Flatten(e, unitId, data, codes, fromSource, into);
                    break;
                case XElement e when e.Name == Ns + "sc" || e.Name == Ns + "ec" || e.Name == Ns + "sm" || e.Name == Ns + "em":
                    break;
                case XElement e:
                    throw new TranslationDataException($"Unit '{unitId}': unexpected <{e.Name.LocalName}> in <{element.Name.LocalName}>.");
            }
        }
    }

    private static string CodePoint(XElement cp, string unitId)
    {
        var hex = (string?)cp.Attribute("hex");
        return int.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code) && code is >= 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF)
            ? char.ConvertFromUtf32(code)
            : throw new TranslationDataException($"Unit '{unitId}': <cp hex=\"{hex}\"> is not a character.");
    }

    private static string PlaceholderOf(XElement ph, string unitId, IReadOnlyDictionary<string, string> data, Dictionary<string, string> codes, bool fromSource)
    {
        var id = (string?)ph.Attribute("id") ?? "";
        if (!fromSource && codes.TryGetValue(id, out var known))
        {
            return known;
        }
        var text = ((string?)ph.Attribute("dataRef") is { } dataRef ? data.GetValueOrDefault(dataRef) : null)
            ?? (string?)ph.Attribute("equiv")
            ?? (string?)ph.Attribute("disp")
            ?? throw new TranslationDataException($"Unit '{unitId}': <ph id=\"{id}\"> says neither which placeholder it is nor matches one of the source.");
        if (fromSource)
        {
            codes[id] = text;
        }
        return text;
    }
}

/// <summary>One unit read back: the Chinese it was translated from and the Tibetan, if any.</summary>
public sealed record XliffUnit(string Id, string File, string Source, string? Target);
