using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Ali.Serverless.Licences;

/// <summary>
/// The bytes a licence signature covers: JSON as RFC 8785 (JCS) writes it, for the subset licences use
/// (objects, strings, whole numbers, booleans, null). Object members sorted by their names' UTF-16 code
/// units, no white space, strings escaped only where JSON must (<c>"</c>, <c>\</c>, and control
/// characters as <c>\b \t \n \f \r</c> or <c>\u00xx</c>), everything else written as itself, UTF-8.
/// Anyone can rebuild these bytes from the licence's JSON with any JCS library and check the signature.
/// </summary>
public static class CanonicalJson
{
    public static byte[] Encode(JsonNode? node)
    {
        var builder = new StringBuilder();
        Write(builder, node);
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    private static void Write(StringBuilder builder, JsonNode? node)
    {
        switch (node)
        {
            case null:
                builder.Append("null");
                break;
            case JsonObject obj:
                builder.Append('{');
                var first = true;
                foreach (var (name, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        builder.Append(',');
                    }
                    first = false;
                    WriteString(builder, name);
                    builder.Append(':');
                    Write(builder, value);
                }
                builder.Append('}');
                break;
            case JsonArray array:
                builder.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(',');
                    }
                    Write(builder, array[i]);
                }
                builder.Append(']');
                break;
            case JsonValue value when value.TryGetValue<string>(out var text):
                WriteString(builder, text);
                break;
            case JsonValue value when value.TryGetValue<bool>(out var flag):
                builder.Append(flag ? "true" : "false");
                break;
            case JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.Number
                && long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number):
                builder.Append(number.ToString(CultureInfo.InvariantCulture));
                break;
            default:
                // Fractions have several spellings; licences carry none, so none is allowed in.
                throw new ArgumentException($"Canonical licence JSON holds only strings, whole numbers, booleans and null, not {node.ToJsonString()}.");
        }
    }

    private static void WriteString(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\b': builder.Append("\\b"); break;
                case '\t': builder.Append("\\t"); break;
                case '\n': builder.Append("\\n"); break;
                case '\f': builder.Append("\\f"); break;
                case '\r': builder.Append("\\r"); break;
                case < ' ': builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: builder.Append(c); break;
            }
        }
        builder.Append('"');
    }
}
