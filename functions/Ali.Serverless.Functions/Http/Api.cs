using System.Diagnostics;
using Ali.Serverless.Audit;
using Ali.Serverless.Common;
using Ali.Serverless.Functions.Auth;
using Ali.Serverless.Identity;
using Ali.Serverless.Limits;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Ali.Serverless.Functions.Http;

/// <summary>
/// What every HTTP function does around its one call into Core: authenticate the caller, turn a
/// problem into a problem response, and turn an unexpected failure into a 500 problem (logged, with
/// a trace id) instead of a bare error page. It is also where every refusal by role and every request
/// of a staff member is audited (decision 11), since every authenticated route passes here.
/// </summary>
public sealed class Api(CallerAuthenticator authenticator, IAuditLog audit, TimeProvider clock, ILogger<Api> logger, RateLimits? rateLimits = null)
{
    /// <summary>
    /// Functions whose handler records every call itself, found or refused, with its actor, role, department,
    /// client address and trace (<c>case.read</c>, <c>task.read</c> on the case's chain, or the day's when refused):
    /// a <c>staff.request</c> record before it would say the same again, so each staff read is one record, not two
    /// (decision 28). A function belongs here only if none of its answers can skip that record.
    /// </summary>
    public static readonly IReadOnlySet<string> RecordsItsOwnRead = new HashSet<string>(StringComparer.Ordinal) { "GetCase", "GetTask" };

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
                ? await handler(caller.Value! with
                {
                    Language = Language.FromAcceptLanguage(request.Headers.AcceptLanguage.ToString()),
                    ClientAddress = ClientAddress(request),
                    TraceId = TraceId(request),
                }, cancellationToken)
                : ProblemResponse.From(caller.Problem!, request);
        });

    /// <summary>
    /// For a signed-in caller whose role <see cref="Permissions"/> allows for <paramref name="function"/>
    /// (403 otherwise). The table is the only place that says which role may call what.
    /// </summary>
    public Task<IResult> RunAsync(HttpRequest request, string function, Func<Caller, CancellationToken, Task<IResult>> handler)
    {
        var roles = Permissions.For(function).Roles;
        return RunAsync(request, async (caller, cancellationToken) =>
        {
            if (!roles.Contains(caller.Role))
            {
                await AuditAsync(caller, AuditActions.PermissionRefused, function, request, AuditActions.Refused, cancellationToken);
                return ProblemResponse.From(Problem.Forbidden($"The role '{caller.Role}' may not do this; it is for: {string.Join(", ", roles)}."), request);
            }
            if (Roles.StaffPeople.Contains(caller.Role) && !RecordsItsOwnRead.Contains(function))
            {
                // Staff sign in per request (bearer tokens): each request of a person working for the
                // administration is recorded (queued before it runs, written behind the answer, decision 29).
                // Applicants' requests are not.
                await AuditAsync(caller, AuditActions.StaffRequest, function, request, AuditActions.Success, cancellationToken);
            }
            if (await RateLimitedAsync(function, caller, request, cancellationToken) is { } limited)
            {
                return limited;
            }
            return await handler(caller, cancellationToken);
        });
    }

    /// <summary>
    /// The 429 (with Retry-After) when the caller used up the function's rate limit; null to go on. The count is
    /// taken before the body is read, so a flood of bad requests is limited too. If the shared counter store
    /// fails, the request goes on and the failure is logged: a limit must not take the service down with it.
    /// </summary>
    private async Task<IResult?> RateLimitedAsync(string function, Caller caller, HttpRequest request, CancellationToken cancellationToken)
    {
        if (rateLimits is null)
        {
            return null;
        }
        RateLimitDecision? decision;
        try
        {
            decision = await rateLimits.CheckAsync(function, caller, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Rate-limit store failed for {Function}; the request goes on unlimited", function);
            return null;
        }
        if (decision is null || decision.Allowed)
        {
            return null;
        }
        request.HttpContext.Response.Headers.RetryAfter = decision.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ProblemResponse.From(decision.ToProblem(), request);
    }

    /// <summary>Never throws: a record that cannot be written is logged as an error, and the request goes on (decision 11).</summary>
    private Task AuditAsync(Caller caller, string action, string function, HttpRequest request, string outcome, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var path = request.Path.ToString();
        var target = $"{function} {request.Method} {(path.Length <= 200 ? path : path[..200])}";
        return audit.TryAppendAsync(AuditEntry.By(caller, null, action, target, outcome, now), cancellationToken);
    }

    /// <summary>
    /// The first X-Forwarded-For address when a front door set one, else the connection's peer. The
    /// header is only as trustworthy as the proxy in front (Front Door / the Functions front end).
    /// </summary>
    internal static string? ClientAddress(HttpRequest request)
    {
        var forwarded = request.Headers["X-Forwarded-For"].ToString();
        var first = forwarded.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        var address = first ?? request.HttpContext.Connection.RemoteIpAddress?.ToString();
        return address is null ? null : address.Length <= 64 ? address : address[..64];
    }

    internal static string TraceId(HttpRequest request) =>
        Activity.Current is { } activity ? activity.TraceId.ToString() : request.HttpContext.TraceIdentifier;

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
