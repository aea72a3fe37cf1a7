using Ali.Serverless.Functions.Auth;
using Ali.Serverless.Functions.Http;
using Ali.Serverless.LocalHost.Triggers;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Ali.Serverless.LocalHost;

public static class Endpoints
{
    /// <summary>The route prefix the Functions host adds (host.json extensions.http.routePrefix).</summary>
    public const string RoutePrefix = "api";

    /// <summary>Maps every HTTP-triggered function at /api/{route} for its methods.</summary>
    public static void MapFunctions(this WebApplication app, IReadOnlyList<FunctionEntry> functions)
    {
        foreach (var function in functions.Where(f => f.Trigger == TriggerKind.Http))
        {
            app.MapMethods($"/{RoutePrefix}/{function.Route}", function.HttpMethods, async (HttpContext context) =>
            {
                var routeValues = context.Request.RouteValues.ToDictionary(v => v.Key, v => v.Value);
                var result = await FunctionInvoker.InvokeAsync(context.RequestServices, function, context.Request, routeValues, context.RequestAborted);
                await FunctionInvoker.WriteResultAsync(context, result);
            }).WithName(function.Name);
        }
    }

    /// <summary>
    /// POST /api/dev/token {role, subject, department?}: test tokens for every role, mapped in Development only.
    /// Window clerks, reviewers and department systems need a department.
    /// </summary>
    public static void MapDevelopmentTokens(this WebApplication app)
    {
        app.MapPost($"/{RoutePrefix}/dev/token", async (HttpContext context, DevelopmentTokens tokens) =>
        {
            var body = await JsonBody.ReadAsync<DevelopmentTokenRequest>(context.Request, context.RequestAborted);
            if (body.Problem is not null)
            {
                return ProblemResponse.From(body.Problem, context.Request);
            }
            var request = body.Value!;
            var errors = new Ali.Serverless.Common.FieldErrors();
            if (!DevelopmentTokens.IsKnownRole(request.Role))
            {
                errors.Add("role", $"role is one of: {string.Join(", ", Ali.Serverless.Identity.Roles.All)}.");
            }
            errors.Require("subject", request.Subject);
            if (request.Role is not null && Ali.Serverless.Identity.Roles.WithDepartment.Contains(request.Role))
            {
                errors.Require("department", request.Department);
            }
            if (request.IdentityNumber is not null && !tokens.CanCarryIdentityNumber)
            {
                errors.Add("identityNumber", "Set Auth__IdentityNumberClaim to mint tokens with a verified identity number.");
            }
            if (errors.Any)
            {
                return ProblemResponse.From(errors.ToProblem(), context.Request);
            }
            var token = tokens.Mint(request.Role!, request.Subject!, request.Department, request.Mfa ?? true, request.IdentityNumber);
            return Results.Json(new { accessToken = token, tokenType = "Bearer", expiresIn = (int)DevelopmentTokens.Lifetime.TotalSeconds }, ApiJson.Options);
        });
    }

    /// <summary>
    /// <c>mfa: false</c> mints a staff token without multi-factor sign-in, to see it refused;
    /// <c>identityNumber</c> stands for the number an identity provider verified (一号, decision 13).
    /// </summary>
    private sealed record DevelopmentTokenRequest(string? Role, string? Subject, string? Department, bool? Mfa, string? IdentityNumber);
}
