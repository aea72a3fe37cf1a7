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
            return Fail<T>(NotJson("The body must be application/json."));
        }
        // No Content-Type is fine only when there is no body (an optional body left out, as in withdraw).
        if (mediaType is null && request.ContentLength > 0)
        {
            return Fail<T>(MissingContentType());
        }

        var read = await ReadBytesAsync(request, cancellationToken);
        if (read.Problem is not null)
        {
            return Fail<T>(read.Problem);
        }
        var bytes = read.Bytes!;
        if (mediaType is null && bytes.Length > 0)
        {
            return Fail<T>(MissingContentType());
        }
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (bytes.Length == 0 && whenEmpty is not null)
        {
            return new JsonBody<T>(whenEmpty, fingerprint, null);
        }
        if (bytes.Length == 0)
        {
            return new JsonBody<T>(null, fingerprint, Problem.InvalidField("body", "The request has no body; send a JSON object."));
        }
        // The JSON reader checks string contents only when a field is read, so a broken byte in a field
        // we ignore would pass and one in a field we read would be blamed on that field's type.
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return new JsonBody<T>(null, fingerprint, Problem.InvalidField("body", "The body is not valid UTF-8; send JSON encoded as UTF-8."));
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
            return new JsonBody<T>(null, fingerprint, Problem.InvalidField(field, $"'{field}' has the wrong type: numbers are JSON numbers (not strings), text is JSON strings; see the API's field types."));
        }
    }

    /// <summary>
    /// Reads the whole body, at most <see cref="MaxBytes"/>: the bytes, or the problem that stopped it (413
    /// beyond the limit; 400 naming <c>body</c> when the body cannot be read, such as a chunked body with
    /// broken framing, which Kestrel reports as <see cref="BadHttpRequestException"/> to the reader).
    /// </summary>
    public static async Task<(byte[]? Bytes, Problem? Problem)> ReadBytesAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            return (null, TooLarge());
        }
        // Read at most one byte past the limit: a chunked body has no Content-Length to check up front.
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaxBytes)
                {
                    return (null, TooLarge());
                }
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge());
        }
        catch (Exception e) when (e is BadHttpRequestException or IOException)
        {
            return (null, Problem.InvalidField("body", "The request body could not be read: its framing is broken (for example a chunk of the wrong size) or it ended early. Send it again."));
        }
        return (buffer.ToArray(), null);
    }

    /// <summary>"$.applicant.documentNumber" becomes "applicant.documentNumber".</summary>
    private static string? FieldFromPath(string? path) =>
        path is null or "$" ? null : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    private static Problem TooLarge() =>
        new(ProblemKind.PayloadTooLarge, "payload-too-large", "Request body too large.", $"A request body has at most {MaxBytes} bytes. Upload files to the upload URL, not to the API.");

    private static Problem NotJson(string detail) =>
        new(ProblemKind.UnsupportedMediaType, "unsupported-media-type", "Send JSON.", detail);

    private static Problem MissingContentType() =>
        NotJson("The body must be application/json, and the Content-Type header must say so.");

    private static JsonBody<T> Fail<T>(Problem problem) => new(default, "", problem);
}
