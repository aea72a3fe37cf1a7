using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ali.Serverless.Common;

/// <summary>
/// The one JSON shape of stored documents and messages, shared by every store and queue adapter so
/// that data written by one can be read by another.
/// </summary>
public static class DocumentJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
