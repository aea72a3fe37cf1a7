using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Ali.Serverless.Functions.Tests.Support;

/// <summary>Requests over DefaultHttpContext, and what an IResult writes when executed against one.</summary>
internal static class HttpTest
{
    public static HttpContext Context(string method = "GET", string path = "/api/applications", string? authorization = null)
    {
        var context = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider(),
        };
        context.Request.Method = method;
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }
        return context;
    }

    public static HttpRequest Bearer(string token) => Context(authorization: $"Bearer {token}").Request;

    public static HttpRequest WithBody(byte[] body, string? contentType = "application/json", bool sendLength = true)
    {
        var request = WithBody(new MemoryStream(body), contentType, sendLength: false);
        request.ContentLength = sendLength ? body.Length : null;
        return request;
    }

    /// <summary>A POST whose body is <paramref name="body"/>; without a length, as a chunked request is.</summary>
    public static HttpRequest WithBody(Stream body, string? contentType = "application/json", bool sendLength = false)
    {
        var request = Context("POST").Request;
        request.Body = body;
        request.ContentType = contentType;
        request.ContentLength = sendLength ? body.Length : null;
        return request;
    }

    public static HttpRequest WithBody(string body, string? contentType = "application/json") =>
        WithBody(Encoding.UTF8.GetBytes(body), contentType);

    public static async Task<Written> ExecuteAsync(IResult result, HttpContext context)
    {
        await result.ExecuteAsync(context);
        var body = ((MemoryStream)context.Response.Body).ToArray();
        JsonElement? json = null;
        if (body.Length > 0)
        {
            using var document = JsonDocument.Parse(body);
            json = document.RootElement.Clone();
        }
        return new Written(context.Response.StatusCode, context.Response.ContentType, Encoding.UTF8.GetString(body), json);
    }
}

/// <summary>Status, content type and body of an executed result.</summary>
internal sealed record Written(int Status, string? ContentType, string Text, JsonElement? Json)
{
    public JsonElement Body => Json ?? throw new InvalidOperationException("The result wrote no body.");
}
