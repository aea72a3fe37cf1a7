using Ali.Serverless.Catalog;
using Ali.Serverless.Common;
using Ali.Serverless.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Ali.Serverless.Functions.Auth;

/// <summary>
/// Turns the bearer token of a request into a <see cref="Caller"/>: subject (sub), role (role or
/// roles) and, for staff, department. Anything missing or invalid is a 401 or 403, never a guess.
/// A token that passed is remembered until it expires (<see cref="ValidatedTokens"/>), so its next requests skip the work.
/// </summary>
public sealed class CallerAuthenticator(AuthSettings settings, ValidatedTokens? validated = null)
{
    public const string RoleClaim = "role";
    public const string RolesClaim = "roles";
    public const string DepartmentClaim = "department";

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public async Task<Result<Caller>> AuthenticateAsync(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Unauthorized("Send an access token: Authorization: Bearer <token>.");
        }
        var token = header["Bearer ".Length..].Trim();
        if (validated?.Find(token) is { } known)
        {
            return known;
        }
        var validation = await _handler.ValidateTokenAsync(token, settings.Parameters);
        if (!validation.IsValid)
        {
            return Unauthorized("The access token is invalid or expired.");
        }
        var caller = CallerOf(validation.ClaimsIdentity);
        if (caller.IsSuccess && validated is not null && validation.SecurityToken.ValidTo is var expires && expires > DateTime.MinValue)
        {
            validated.Keep(token, caller.Value!, new DateTimeOffset(DateTime.SpecifyKind(expires, DateTimeKind.Utc)));
        }
        return caller;
    }

    private Result<Caller> CallerOf(System.Security.Claims.ClaimsIdentity claims)
    {
        var subject = claims.FindFirst("sub")?.Value;
        var role = claims.FindAll(c => c.Type is RoleClaim or RolesClaim).Select(c => c.Value).FirstOrDefault(Roles.All.Contains);
        if (string.IsNullOrWhiteSpace(subject))
        {
            return Unauthorized("The access token has no subject.");
        }
        if (role is null)
        {
            return Result<Caller>.Fail(Problem.Forbidden($"The access token carries none of the roles this API serves: {string.Join(", ", Roles.All)}."));
        }
        var department = claims.FindFirst(DepartmentClaim)?.Value;
        if (Roles.WithDepartment.Contains(role) && !DepartmentCodes.IsWellFormed(department))
        {
            return Result<Caller>.Fail(Problem.Forbidden($"A {role} token must name the department (claim '{DepartmentClaim}': letters, digits and hyphens)."));
        }
        if (Roles.StaffPeople.Contains(role) && !claims.FindAll(settings.MfaClaim).Any(c => c.Value == settings.MfaValue))
        {
            // MLPS level 3: staff act only after a multi-factor sign-in, which the identity provider states in the token.
            return Result<Caller>.Fail(Problem.Forbidden($"Staff sign in with more than one factor: the token's '{settings.MfaClaim}' claim must include '{settings.MfaValue}'.") with { Type = "mfa-required" });
        }
        return new Caller(subject, role, department) { IdentityNumber = VerifiedIdentityNumber(claims, role) };
    }

    /// <summary>
    /// 一号: the resident ID number the identity provider verified, from the configured claim, for
    /// applicants only. A value that is not a valid number links nothing (it is ignored, not guessed at).
    /// </summary>
    private string? VerifiedIdentityNumber(System.Security.Claims.ClaimsIdentity claims, string role)
    {
        if (settings.IdentityNumberClaim is not { } claim || role != Roles.Applicant || claims.FindFirst(claim)?.Value is not { } value)
        {
            return null;
        }
        var number = ResidentIdNumber.Normalize(value);
        return ResidentIdNumber.Validate(number) is null ? number : null;
    }

    private static Result<Caller> Unauthorized(string detail) =>
        Result<Caller>.Fail(new Problem(ProblemKind.Unauthorized, "unauthorized", "Authentication required.", detail));
}
