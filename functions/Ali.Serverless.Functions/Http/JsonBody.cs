using System.Security.Cryptography;
using System.Text.Json;
using Ali.Serverless.Common;
using Microsoft.AspNetCore.Http;

namespace Ali.Serverless.Functions.Http;

/// <summary>A request body read and parsed, with a fingerprint that tells a retry from a different request.</summary>
public sealed record JsonBody<T>(T? Value, string Fingerprint, Problem? Problem);

public static class JsonBody
{
    /// <summary>Bodies are small JSON documents; materials never come through here.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>As <see cref="ReadAsync{T}(HttpRequest, CancellationToken)"/>, where an empty body means <paramref name="whenEmpty"/>.</summary>
    public static Task<JsonBody<T>> ReadOptionalAsync<T>(HttpRequest request, T whenEmpty, CancellationToken cancellationToken) where T : class =>
        ReadAsync(request, cancellationToken, whenEmpty);

    public static async Task<JsonBody<T>> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken) where T : class =>
        await ReadAsync<T>(request, cancellationToken, null);

    private static async Task<JsonBody<T>> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken, T? whenEmpty) where T : class
    {
        if (request.ContentLength > MaxBytes)
        {
            return Fail<T>(TooLarge());
        }
        var mediaType = request.ContentType?.Split(';')[0].Trim();
        if (mediaType is not null && !mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) && !mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
        {
            return Fail<T>(new Problem(ProblemKind.UnsupportedMediaType, "unsupported-media-type", "Send JSON.", "The body must be application/json."));
        }

        // Read at most one byte past the limit: a chunked body has no Content-Length to check up front.
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBytes)
            {
                return Fail<T>(TooLarge());
            }
        }
        var bytes = buffer.ToArray();
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (bytes.Length == 0 && whenEmpty is not null)
        {
            return new JsonBody<T>(whenEmpty, fingerprint, null);
        }
        if (bytes.Length == 0)
        {
            return new JsonBody<T>(null, fingerprint, Problem.InvalidField("body", "The request has no body; send a JSON object."));
        }
        try
        {
            // Syntax first, so a truncated body is reported as such and not blamed on the last field read.
            using (JsonDocument.Parse(bytes))
            {
            }
        }
        catch (JsonException e)
        {
            return new JsonBody<T>(null, fingerprint, Problem.InvalidField("body", $"The body is not valid JSON (line {e.LineNumber + 1}, position {e.BytePositionInLine + 1})."));
        }
        try
        {
            var value = JsonSerializer.Deserialize<T>(bytes, ApiJson.Options);
            return value is null
                ? new JsonBody<T>(null, fingerprint, Problem.InvalidField("body", "The body is JSON null; send a JSON object."))
                : new JsonBody<T>(value, fingerprint, null);
        }
        catch (JsonException e)
        {
            var field = FieldFromPath(e.Path) ?? "body";
            return new JsonBody<T>(null, fingerprint, Problem.InvalidField(field, $"'{field}' has the wrong type: see the API's field types."));
        }
    }

    /// <summary>"$.applicant.documentNumber" becomes "applicant.documentNumber".</summary>
    private static string? FieldFromPath(string? path) =>
        path is null or "$" ? null : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    private static Problem TooLarge() =>
        new(ProblemKind.PayloadTooLarge, "payload-too-large", "Request body too large.", $"A request body has at most {MaxBytes} bytes. Upload files to the upload URL, not to the API.");

    private static JsonBody<T> Fail<T>(Problem problem) => new(default, "", problem);
}
