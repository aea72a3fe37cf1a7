using System.Diagnostics;
using Ali.Serverless.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Ali.Serverless.Functions.Http;

/// <summary>RFC 9457 problem details (application/problem+json) for every refusal and failure.</summary>
public static class ProblemResponse
{
    public const string ContentType = "application/problem+json";
    public const string TypePrefix = "urn:ali-serverless:problem:";

    public static int StatusOf(ProblemKind kind) => kind switch
    {
        ProblemKind.Invalid => StatusCodes.Status400BadRequest,
        ProblemKind.Unauthorized => StatusCodes.Status401Unauthorized,
        ProblemKind.Forbidden => StatusCodes.Status403Forbidden,
        ProblemKind.NotFound => StatusCodes.Status404NotFound,
        ProblemKind.Conflict => StatusCodes.Status409Conflict,
        ProblemKind.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        ProblemKind.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        ProblemKind.Unprocessable => StatusCodes.Status422UnprocessableEntity,
        ProblemKind.TooManyRequests => StatusCodes.Status429TooManyRequests,
        ProblemKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => throw new UnreachableException($"No status for {kind}."),
    };

    public static IResult From(Problem problem, HttpRequest request)
    {
        if (problem.Kind == ProblemKind.Unauthorized)
        {
            request.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
        }
        return Write(request, StatusOf(problem.Kind), problem.Type, problem.Title, problem.Detail, problem.Errors, problem.Extensions);
    }

    public static IResult ServerError(HttpRequest request) =>
        Write(request, StatusCodes.Status500InternalServerError, "internal-error", "Something went wrong on our side.",
            "The request could not be completed. Nothing was half-saved; retry, and quote the traceId if it keeps failing.", null, null);

    public static IResult NotFound(HttpRequest request) =>
        Write(request, StatusCodes.Status404NotFound, "not-found", "Not found.", $"There is no resource at {request.Method} {request.Path}.", null, null);

    /// <summary>A problem for a status the host itself produced without a body (405 and the like).</summary>
    public static IResult ForStatus(HttpRequest request, int status) => status switch
    {
        StatusCodes.Status405MethodNotAllowed => Write(request, status, "method-not-allowed", "Method not allowed.",
            $"{request.Path} does not accept {request.Method}.", null, null),
        StatusCodes.Status404NotFound => NotFound(request),
        _ => Write(request, status, "http-" + status, ReasonPhrases.GetReasonPhrase(status), $"The request ended with status {status}.", null, null),
    };

    private static IResult Write(
        HttpRequest request, int status, string type, string title, string detail,
        IReadOnlyDictionary<string, string[]>? errors, IReadOnlyDictionary<string, object?>? extensions)
    {
        var body = new Dictionary<string, object?>
        {
            ["type"] = TypePrefix + type,
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
            ["instance"] = request.Path.Value,
        };
        if (errors is not null)
        {
            body["errors"] = errors;
        }
        foreach (var (name, value) in extensions ?? new Dictionary<string, object?>())
        {
            // An extension never replaces a standard member: clients rely on status being the HTTP status.
            body.TryAdd(name, value);
        }
        body["traceId"] = Activity.Current?.Id ?? request.HttpContext.TraceIdentifier;
        return Results.Json(body, ApiJson.Options, ContentType, status);
    }
}
