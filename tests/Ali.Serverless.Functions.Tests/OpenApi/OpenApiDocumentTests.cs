using System.Reflection;
using System.Text.Json;
using Ali.Serverless.Functions.Http;
using Ali.Serverless.Functions.Tests.Support;
using Microsoft.Azure.Functions.Worker;

namespace Ali.Serverless.Functions.Tests.OpenApi;

/// <summary>
/// The hand-written openapi.json may not drift from the code: it has one operation per HTTP
/// function (same route, methods and name) and nothing else, its references resolve, and it
/// documents the success status each function really answers with.
/// </summary>
public class OpenApiDocumentTests
{
    private static readonly string[] HttpMethods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    /// <summary>The status each function answers with on success; every other function answers 200.</summary>
    private static readonly Dictionary<string, string> SuccessStatus = new(StringComparer.Ordinal)
    {
        ["OpenApplication"] = "201",
        ["DeclareMaterial"] = "201",
        ["SubmitApplication"] = "202",
        ["ResubmitApplication"] = "202",
        ["StartSpecialProcedure"] = "201",
        ["EvaluateApplication"] = "201",
        ["AppealEvaluation"] = "201",
    };

    /// <summary>Functions any caller may use without a token.</summary>
    private static readonly HashSet<string> Anonymous = new(StringComparer.Ordinal)
    {
        "Health", "GetOpenApiDocument", "ListCatalogItems", "GetCatalogItem",
        // The SMS provider calls it with a shared secret in the URL, not a bearer token.
        "ReceiveSmsReceipts",
        // Licences: the public keys, and verification by whoever scans a licence's QR code.
        "GetLicenceKeys", "VerifyLicence",
        // Published statistics: aggregates with small cells withheld.
        "GetPublicStatistics",
        // Good and bad reviews are published, anonymized, per item and per department.
        "ListItemEvaluations", "ListDepartmentEvaluations",
    };

    private static readonly Lazy<byte[]> EmbeddedBytes = new(() =>
    {
        using var stream = typeof(OpenApiApi).Assembly.GetManifestResourceStream("openapi.json")
            ?? throw new InvalidOperationException("openapi.json is not embedded in the Functions assembly.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    });

    private static JsonElement Document()
    {
        using var document = JsonDocument.Parse(EmbeddedBytes.Value);
        return document.RootElement.Clone();
    }

    /// <summary>Every [Function] with an [HttpTrigger], found by reflection over the Functions assembly.</summary>
    private static List<HttpFunction> HttpFunctions() =>
        (from type in typeof(OpenApiApi).Assembly.GetExportedTypes()
         from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
         let function = method.GetCustomAttribute<FunctionAttribute>()
         where function is not null
         let trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).SingleOrDefault(t => t is not null)
         where trigger is not null
         select new HttpFunction(function.Name, "/" + trigger.Route, (trigger.Methods ?? []).Select(m => m.ToLowerInvariant()).Order().ToArray()))
        .ToList();

    /// <summary>Every operation of the document as (operationId, path, method) with the operation itself.</summary>
    private static List<(string? OperationId, string Path, string Method, JsonElement Operation)> Operations(JsonElement document) =>
        (from path in document.GetProperty("paths").EnumerateObject()
         from member in path.Value.EnumerateObject()
         where HttpMethods.Contains(member.Name)
         select (member.Value.TryGetProperty("operationId", out var id) ? id.GetString() : null, path.Name, member.Name, member.Value))
        .ToList();

    [Fact]
    public void Document_IsOpenApi303_WithTheAgreedInfoServerAndBearerScheme()
    {
        var document = Document();

        Assert.Equal("3.0.3", document.GetProperty("openapi").GetString());
        Assert.Equal("Ali Serverless API", document.GetProperty("info").GetProperty("title").GetString());
        Assert.Equal("1", document.GetProperty("info").GetProperty("version").GetString());
        Assert.Equal("/api", document.GetProperty("servers")[0].GetProperty("url").GetString());
        var bearer = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearerAuth");
        Assert.Equal("http", bearer.GetProperty("type").GetString());
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());
        Assert.Equal("JWT", bearer.GetProperty("bearerFormat").GetString());
    }

    [Fact]
    public void ReflectionFindsTheHttpFunctions()
    {
        var names = HttpFunctions().Select(f => f.Name).ToList();

        Assert.Contains("Health", names);
        Assert.Contains("SubmitApplication", names);
        Assert.Contains("GetOpenApiDocument", names);
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Fact]
    public void EveryHttpFunction_HasExactlyItsOperations_AndTheDocumentHasNoOthers()
    {
        var fromCode = HttpFunctions()
            .SelectMany(f => f.Methods.Select(m => $"{m.ToUpperInvariant()} {f.Path} {f.Name}"))
            .Order(StringComparer.Ordinal).ToList();
        var fromDocument = Operations(Document())
            .Select(o => $"{o.Method.ToUpperInvariant()} {o.Path} {o.OperationId}")
            .Order(StringComparer.Ordinal).ToList();

        Assert.Equal(fromCode, fromDocument);
    }

    [Fact]
    public void OperationIds_AreUnique()
    {
        var ids = Operations(Document()).Select(o => o.OperationId).ToList();

        Assert.DoesNotContain(null, ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void EveryRef_ResolvesToAComponent()
    {
        var document = Document();
        var refs = new List<string>();
        CollectRefs(document, refs);

        Assert.NotEmpty(refs);
        Assert.All(refs, reference =>
        {
            Assert.StartsWith("#/components/", reference, StringComparison.Ordinal);
            Assert.True(Resolve(document, reference) is not null, $"{reference} does not resolve.");
        });
    }

    [Fact]
    public void EveryOperation_DocumentsTheSuccessStatusTheCodeReturns()
    {
        var document = Document();
        var operations = Operations(document);

        Assert.All(HttpFunctions(), function =>
        {
            var expected = SuccessStatus.GetValueOrDefault(function.Name, "200");
            var operation = operations.Single(o => o.OperationId == function.Name).Operation;
            var documented = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
            Assert.True(documented.Contains(expected), $"{function.Name} answers {expected} but documents only {string.Join(", ", documented)}.");
            // One success status per operation, so a client cannot be led to expect the wrong one.
            Assert.Equal([expected], documented.Where(code => code.StartsWith('2')));
        });
        Assert.All(SuccessStatus.Keys, name => Assert.Contains(name, HttpFunctions().Select(f => f.Name)));
    }

    [Fact]
    public void ProblemResponses_AreProblemJson_WithTheSharedSchema()
    {
        var document = Document();
        var responses = document.GetProperty("components").GetProperty("responses");

        foreach (var operation in Operations(document))
        {
            foreach (var response in operation.Operation.GetProperty("responses").EnumerateObject().Where(r => r.Name[0] is '4' or '5'))
            {
                var resolved = response.Value.TryGetProperty("$ref", out var reference) ? Resolve(document, reference.GetString()!)!.Value : response.Value;
                var schema = resolved.GetProperty("content").GetProperty("application/problem+json").GetProperty("schema");
                Assert.Equal("#/components/schemas/ProblemDetails", schema.GetProperty("$ref").GetString());
            }
        }
        Assert.True(responses.EnumerateObject().Any());
    }

    [Fact]
    public void AnonymousOperations_NeedNoToken_AndTheOthersNeedBearerAuth()
    {
        var document = Document();
        var global = document.GetProperty("security").EnumerateArray().Single();
        Assert.True(global.TryGetProperty("bearerAuth", out _));

        Assert.All(Operations(document), o =>
        {
            var anonymous = o.Operation.TryGetProperty("security", out var security) && security.GetArrayLength() == 0;
            var documents401 = o.Operation.GetProperty("responses").TryGetProperty("401", out _);
            Assert.True(Anonymous.Contains(o.OperationId!) == anonymous, $"{o.OperationId}: anonymous in the document is {anonymous}.");
            // An anonymous operation cannot answer 401, except one that checks a shared secret of its own.
            Assert.True(anonymous != documents401 || o.OperationId == "ReceiveSmsReceipts", $"{o.OperationId}: 401 documented is {documents401}.");
        });
    }

    [Fact]
    public async Task GetOpenApiDocument_Answers200Json_WithTheEmbeddedDocument()
    {
        var context = HttpTest.Context("GET", "/api/openapi.json");

        var result = new OpenApiApi().Get(context.Request);
        var written = await HttpTest.ExecuteAsync(result, context);

        Assert.Equal(200, written.Status);
        Assert.StartsWith("application/json", written.ContentType, StringComparison.Ordinal);
        Assert.Equal(EmbeddedBytes.Value, ((MemoryStream)context.Response.Body).ToArray());
        Assert.Equal("3.0.3", written.Body.GetProperty("openapi").GetString());
    }

    private static void CollectRefs(JsonElement element, List<string> refs)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "$ref")
                    {
                        refs.Add(property.Value.GetString()!);
                    }
                    else
                    {
                        CollectRefs(property.Value, refs);
                    }
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    CollectRefs(item, refs);
                }
                break;
        }
    }

    /// <summary>A local JSON pointer reference ("#/a/b") in the document, or null.</summary>
    private static JsonElement? Resolve(JsonElement document, string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            return null;
        }
        var current = document;
        foreach (var token in reference[2..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(token, out current))
            {
                return null;
            }
        }
        return current;
    }

    private sealed record HttpFunction(string Name, string Path, string[] Methods);
}
