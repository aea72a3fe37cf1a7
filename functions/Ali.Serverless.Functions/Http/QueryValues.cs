using Microsoft.AspNetCore.Http;

namespace Ali.Serverless.Functions.Http;

/// <summary>Query-string values read one way everywhere: absent or empty is null.</summary>
public static class QueryValues
{
    public static string? Text(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value.ToString()) ? value.ToString() : null;

    /// <summary>pageSize as given; a value that is not a whole number becomes -1 so the rules refuse it by name.</summary>
    public static int? PageSize(HttpRequest request) =>
        Text(request, "pageSize") is { } text ? int.TryParse(text, out var parsed) ? parsed : -1 : null;

    public static string? ContinuationToken(HttpRequest request) => Text(request, "continuationToken");
}
