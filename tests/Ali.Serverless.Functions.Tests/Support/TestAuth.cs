using System.Security.Claims;
using System.Text;
using Ali.Serverless.Functions.Auth;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ali.Serverless.Functions.Tests.Support;

/// <summary>Development-mode auth settings built the way the app builds them, and tokens to present.</summary>
internal static class TestAuth
{
    public const string SigningKey = "functions-tests-signing-key-not-a-secret";
    public const string Issuer = "https://login.test/ali";
    public const string Audience = "api://ali-serverless-tests";

    public static IConfiguration Configuration(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();

    public static AuthSettings DevelopmentSettings(string signingKey = SigningKey) =>
        AuthSettings.From(
            Configuration(("Auth:DevelopmentSigningKey", signingKey), ("Auth:Issuer", Issuer), ("Auth:Audience", Audience)),
            new FakeHostEnvironment("Development"));

    public static DevelopmentTokens Tokens(AuthSettings? settings = null, TimeProvider? clock = null) =>
        new(settings ?? DevelopmentSettings(), clock ?? TimeProvider.System);

    /// <summary>A token built field by field, for the cases DevelopmentTokens refuses to mint.</summary>
    public static string Handmade(
        IEnumerable<Claim> claims,
        string issuer = Issuer,
        string audience = Audience,
        string signingKey = SigningKey,
        IDictionary<string, object>? extraClaims = null)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            Claims = extraClaims,
            NotBefore = now,
            IssuedAt = now,
            Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(KeyFor(signingKey), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>The key AuthSettings derives from a configured development key.</summary>
    public static SymmetricSecurityKey KeyFor(string signingKey) =>
        new(Encoding.UTF8.GetBytes(signingKey.PadRight(32, '.')));
}
