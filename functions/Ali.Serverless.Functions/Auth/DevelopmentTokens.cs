using System.Security.Claims;
using Ali.Serverless.Identity;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ali.Serverless.Functions.Auth;

/// <summary>Mints test tokens with the development key. Only the local host in Development exposes this.</summary>
public sealed class DevelopmentTokens(AuthSettings settings, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    /// <summary>A token for the role; staff tokens say they were signed in with more than one factor unless <paramref name="mfa"/> is false.</summary>
    public string Mint(string role, string subject, string? department, bool mfa = true, string? identityNumber = null)
    {
        var key = settings.DevelopmentKey ?? throw new InvalidOperationException("Development tokens exist only in Development.");
        var now = clock.GetUtcNow().UtcDateTime;
        var claims = new List<Claim> { new("sub", subject), new(CallerAuthenticator.RoleClaim, role) };
        if (department is not null)
        {
            claims.Add(new Claim(CallerAuthenticator.DepartmentClaim, department));
        }
        if (identityNumber is not null)
        {
            claims.Add(new Claim(settings.IdentityNumberClaim ?? throw new InvalidOperationException("No identity-number claim is configured."), identityNumber));
        }
        claims.Add(new Claim(settings.MfaClaim, "pwd"));
        if (mfa && Roles.StaffPeople.Contains(role))
        {
            claims.Add(new Claim(settings.MfaClaim, settings.MfaValue));
        }
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Parameters.ValidIssuer,
            Audience = settings.Parameters.ValidAudience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = now,
            IssuedAt = now,
            Expires = now + Lifetime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>Whether an identity number can be put in a token: only when the app reads one (Auth__IdentityNumberClaim).</summary>
    public bool CanCarryIdentityNumber => settings.IdentityNumberClaim is not null;

    public static bool IsKnownRole(string? role) => role is not null && Roles.All.Contains(role);
}
