using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ali.Serverless.Common;

namespace Ali.Serverless.Functions.Http;

/// <summary>JSON of the HTTP API: camelCase, enums as camelCase strings, nulls left out to keep answers small.</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(DocumentJson.Options)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Chinese and Tibetan as UTF-8 rather than \uXXXX escapes: half the bytes on a weak link.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
