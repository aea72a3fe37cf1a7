using System.Text;
using System.Text.Json;

namespace Ali.Serverless.Translations;

/// <summary>A change to one property of an object of a JSON file, the object named by its JSON Pointer.</summary>
public abstract record JsonEdit(string ObjectPointer, string Property);

/// <summary>Sets a string property, adding it after <paramref name="After"/> (on a line of its own, as that one) when absent.</summary>
public sealed record SetString(string ObjectPointer, string Property, string Value, string After) : JsonEdit(ObjectPointer, Property);

/// <summary>Replaces the number of an existing property.</summary>
public sealed record SetNumber(string ObjectPointer, string Property, long Value) : JsonEdit(ObjectPointer, Property);

/// <summary>
/// Edits JSON text where the edited values are and nowhere else, so that a file keeps its layout, its key
/// order and its spelling of every other value byte for byte; only what is written is escaped, and then only
/// what JSON requires (quote, backslash, control characters), never Chinese or Tibetan.
/// </summary>
public static class JsonTextEditor
{
    public static byte[] Apply(byte[] json, IReadOnlyCollection<JsonEdit> edits)
    {
        var bom = json.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
        var properties = Scan(json.AsSpan(bom), bom);
        var splices = new List<(int At, int Length, byte[] With)>();
        foreach (var edit in edits)
        {
            var where = $"{edit.ObjectPointer}/{edit.Property}";
            switch (edit)
            {
                case SetNumber number:
                    var existing = properties.GetValueOrDefault((edit.ObjectPointer, edit.Property))
                        ?? throw new InvalidOperationException($"{where} does not exist.");
                    splices.Add((existing.ValueStart, existing.ValueEnd - existing.ValueStart, Encoding.UTF8.GetBytes(number.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))));
                    break;
                case SetString text when properties.GetValueOrDefault((edit.ObjectPointer, edit.Property)) is { } current:
                    splices.Add((current.ValueStart, current.ValueEnd - current.ValueStart, Encoding.UTF8.GetBytes(Quote(text.Value))));
                    break;
                case SetString text:
                    var after = properties.GetValueOrDefault((edit.ObjectPointer, text.After))
                        ?? throw new InvalidOperationException($"{edit.ObjectPointer}/{text.After} does not exist.");
                    splices.Add((after.ValueEnd, 0, Encoding.UTF8.GetBytes(NextProperty(json, after, text.Property, text.Value))));
                    break;
            }
        }
        var ordered = splices.OrderBy(s => s.At).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            if (ordered[i].At < ordered[i - 1].At + ordered[i - 1].Length)
            {
                throw new InvalidOperationException("Two edits touch the same value.");
            }
        }
        var result = new List<byte>(json.Length + splices.Sum(s => s.With.Length));
        var at = 0;
        foreach (var (start, length, with) in ordered)
        {
            result.AddRange(json.AsSpan(at, start - at));
            result.AddRange(with);
            at = start + length;
        }
        result.AddRange(json.AsSpan(at));
        return [.. result];
    }

    /// <summary>
    /// <c>,</c> then the new property laid out as <paramref name="previous"/>: on a new line with its indentation
    /// when it has a line of its own, else on the same line; with the same separator between name and value.
    /// </summary>
    private static string NextProperty(byte[] json, PropertySpan previous, string name, string value)
    {
        var lineStart = Array.LastIndexOf(json, (byte)'\n', previous.NameStart);
        var indent = Encoding.UTF8.GetString(json, lineStart + 1, previous.NameStart - lineStart - 1);
        var separator = Encoding.UTF8.GetString(json, previous.NameEnd, previous.ValueStart - previous.NameEnd);
        var property = $"{Quote(name)}{separator}{Quote(value)}";
        if (lineStart < 0 || indent.Any(c => c is not (' ' or '\t')))
        {
            return $", {property}";
        }
        var newline = lineStart > 0 && json[lineStart - 1] == '\r' ? "\r\n" : "\n";
        return $",{newline}{indent}{property}";
    }

    /// <summary>A JSON string escaping only what JSON requires.</summary>
    public static string Quote(string value)
    {
        var quoted = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\b' => "\\b",
                '\f' => "\\f",
                < ' ' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return quoted.Append('"').ToString();
    }

    private sealed record PropertySpan(int NameStart, int NameEnd, int ValueStart, int ValueEnd);

    private sealed class Frame(string pointer, bool isArray)
    {
        public string Pointer { get; } = pointer;
        public bool IsArray { get; } = isArray;
        public int Index { get; set; } = -1;
        public string? Property { get; set; }
        public int NameStart { get; set; }
        public int NameEnd { get; set; }
    }

    /// <summary>Where every property with a string, number, boolean or null value is, by (object pointer, name).</summary>
    private static Dictionary<(string, string), PropertySpan> Scan(ReadOnlySpan<byte> json, int offset)
    {
        var spans = new Dictionary<(string, string), PropertySpan>();
        var stack = new Stack<Frame>();
        var reader = new Utf8JsonReader(json, isFinalBlock: true, state: default);
        while (reader.Read())
        {
            var start = (int)reader.TokenStartIndex + offset;
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    var frame = stack.Peek();
                    frame.Property = reader.GetString();
                    frame.NameStart = start;
                    // The token ends at its closing quote (the reader's BytesConsumed is past the colon).
                    frame.NameEnd = start + reader.ValueSpan.Length + 2;
                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    stack.Push(new Frame(stack.Count == 0 ? "" : ChildPointer(stack.Peek()), reader.TokenType == JsonTokenType.StartArray));
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    stack.Pop();
                    break;
                default:
                    if (stack.TryPeek(out var parent))
                    {
                        if (parent.IsArray)
                        {
                            parent.Index++;
                        }
                        else
                        {
                            spans[(parent.Pointer, parent.Property!)] = new PropertySpan(parent.NameStart, parent.NameEnd, start, (int)reader.BytesConsumed + offset);
                        }
                    }
                    break;
            }
        }
        return spans;
    }

    private static string ChildPointer(Frame parent)
    {
        if (parent.IsArray)
        {
            parent.Index++;
            return $"{parent.Pointer}/{parent.Index}";
        }
        return $"{parent.Pointer}/{TextInventory.Escape(parent.Property!)}";
    }
}
