using Ali.Serverless.Common;
using Ali.Serverless.Functions.Auth;
using Ali.Serverless.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Ali.Serverless.Functions.Http;

/// <summary>
/// What every HTTP function does around its one call into Core: authenticate the caller, turn a
/// problem into a problem response, and turn an unexpected failure into a 500 problem (logged, with
/// a trace id) instead of a bare error page.
/// </summary>
public sealed class Api(CallerAuthenticator authenticator, ILogger<Api> logger)
{
    public async Task<IResult> RunAsync(HttpRequest request, Func<CancellationToken, Task<IResult>> handler)
    {
        try
        {
            return await handler(request.HttpContext.RequestAborted);
        }
        catch (OperationCanceledException) when (request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return Results.StatusCode(499);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Unhandled failure in {Method} {Path}", request.Method, request.Path);
            return ProblemResponse.ServerError(request);
        }
    }

    public Task<IResult> RunAsync(HttpRequest request, Func<Caller, CancellationToken, Task<IResult>> handler) =>
        RunAsync(request, async cancellationToken =>
        {
            var caller = await authenticator.AuthenticateAsync(request);
            return caller.IsSuccess
                ? await handler(caller.Value! with { Language = Language.FromAcceptLanguage(request.Headers.AcceptLanguage.ToString()) }, cancellationToken)
                : ProblemResponse.From(caller.Problem!, request);
        });

    /// <summary>
    /// For a signed-in caller whose role <see cref="Permissions"/> allows for <paramref name="function"/>
    /// (403 otherwise). The table is the only place that says which role may call what.
    /// </summary>
    public Task<IResult> RunAsync(HttpRequest request, string function, Func<Caller, CancellationToken, Task<IResult>> handler)
    {
        var roles = Permissions.For(function).Roles;
        return RunAsync(request, (caller, cancellationToken) => roles.Contains(caller.Role)
            ? handler(caller, cancellationToken)
            : Task.FromResult(ProblemResponse.From(Problem.Forbidden($"The role '{caller.Role}' may not do this; it is for: {string.Join(", ", roles)}."), request)));
    }

    /// <summary>As the permission-checked overload, with the JSON body read first: a bad body is answered before the handler runs.</summary>
    public Task<IResult> RunAsync<TBody>(HttpRequest request, string function, Func<Caller, TBody, CancellationToken, Task<IResult>> handler)
        where TBody : class =>
        RunAsync(request, function, async (caller, cancellationToken) =>
        {
            var body = await JsonBody.ReadAsync<TBody>(request, cancellationToken);
            return body.Problem is not null
                ? ProblemResponse.From(body.Problem, request)
                : await handler(caller, body.Value!, cancellationToken);
        });

    /// <summary>The value as JSON with <paramref name="status"/>, or the problem.</summary>
    public static IResult Reply<T, TView>(HttpRequest request, Result<T> result, Func<T, TView> view, int status = StatusCodes.Status200OK, Func<T, string>? location = null)
    {
        if (!result.IsSuccess)
        {
            return ProblemResponse.From(result.Problem!, request);
        }
        if (location is not null)
        {
            request.HttpContext.Response.Headers.Location = location(result.Value!);
        }
        return Results.Json(view(result.Value!), ApiJson.Options, statusCode: status);
    }
}
