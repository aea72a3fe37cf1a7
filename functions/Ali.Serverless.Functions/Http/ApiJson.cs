using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ali.Serverless.Common;

namespace Ali.Serverless.Functions.Http;

/// <summary>
/// JSON of the HTTP API: camelCase, enums as camelCase strings, nulls left out to keep answers small,
/// and numbers only as JSON numbers.
/// </summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(DocumentJson.Options)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // The Web defaults read "113" as 113. A request that sends a number as a string is refused,
        // naming the field, rather than guessed at: what the client sent is what it meant.
        NumberHandling = JsonNumberHandling.Strict,
        // Chinese and Tibetan as UTF-8 rather than \uXXXX escapes: half the bytes on a weak link.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
