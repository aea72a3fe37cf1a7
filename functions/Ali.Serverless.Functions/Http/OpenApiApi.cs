using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Ali.Serverless.Functions.Http;

/// <summary>
/// The API's OpenAPI 3 description (Http/openapi.json), embedded in this assembly so the deployed
/// app always serves the description that was built and tested with it.
/// </summary>
public sealed class OpenApiApi
{
    public const string ResourceName = "openapi.json";

    private static readonly Lazy<byte[]> Document = new(ReadDocument);

    [Function("GetOpenApiDocument")]
    public IResult Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest request) =>
        Results.Bytes(Document.Value, "application/json");

    /// <summary>The embedded document's bytes, read once.</summary>
    private static byte[] ReadDocument()
    {
        using var stream = typeof(OpenApiApi).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource '{ResourceName}' is missing from {typeof(OpenApiApi).Assembly.GetName().Name}.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
