using System.Text;
using Ali.Serverless.Functions.Composition;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Ali.Serverless.Functions.Auth;

/// <summary>
/// How callers' bearer tokens are validated. In Azure the signing keys come from the identity
/// provider's OpenID Connect metadata; in Development a symmetric key from configuration signs
/// locally minted test tokens. A development key outside Development is refused at start.
/// </summary>
public sealed class AuthSettings
{
    public const string DefaultIssuer = "ali-serverless-dev";
    public const string DefaultAudience = "ali-serverless-api";

    public const string DefaultMfaClaim = "amr";
    public const string DefaultMfaValue = "mfa";

    private AuthSettings(TokenValidationParameters parameters, SymmetricSecurityKey? developmentKey)
    {
        Parameters = parameters;
        DevelopmentKey = developmentKey;
    }

    /// <summary>The claim that tells how a user signed in, and the value that means multi-factor.</summary>
    public string MfaClaim { get; private init; } = DefaultMfaClaim;

    public string MfaValue { get; private init; } = DefaultMfaValue;

    /// <summary>The claim carrying an applicant's verified resident ID number (一号); null when not configured (off).</summary>
    public string? IdentityNumberClaim { get; private init; }

    public TokenValidationParameters Parameters { get; }

    /// <summary>Present only in Development: the key that signs tokens minted by the local host.</summary>
    public SymmetricSecurityKey? DevelopmentKey { get; }

    private static string MfaClaimOf(IConfiguration configuration) => configuration.Get(AppSettingNames.StaffMfaClaim) ?? DefaultMfaClaim;

    private static string MfaValueOf(IConfiguration configuration) => configuration.Get(AppSettingNames.StaffMfaValue) ?? DefaultMfaValue;

    public static AuthSettings From(IConfiguration configuration, IHostEnvironment environment)
    {
        var issuer = configuration.Get(AppSettingNames.AuthIssuer) ?? DefaultIssuer;
        var audience = configuration.Get(AppSettingNames.AuthAudience) ?? DefaultAudience;
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = audience,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromMinutes(2),
        };

        var developmentKey = configuration.Get(AppSettingNames.AuthDevelopmentSigningKey);
        if (developmentKey is not null)
        {
            if (!environment.IsDevelopment())
            {
                throw new InvalidOperationException($"{AppSettingNames.AuthDevelopmentSigningKey} is only allowed in Development.");
            }
            var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(developmentKey.PadRight(32, '.')));
            parameters.IssuerSigningKey = key;
            return new AuthSettings(parameters, key) { MfaClaim = MfaClaimOf(configuration), MfaValue = MfaValueOf(configuration), IdentityNumberClaim = configuration.Get(AppSettingNames.IdentityNumberClaim) };
        }

        var metadata = configuration.Get(AppSettingNames.AuthMetadataAddress)
            ?? throw new InvalidOperationException($"Set {AppSettingNames.AuthMetadataAddress} (or, in Development only, {AppSettingNames.AuthDevelopmentSigningKey}).");
        parameters.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
            metadata,
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever { RequireHttps = !environment.IsDevelopment() });
        return new AuthSettings(parameters, null) { MfaClaim = MfaClaimOf(configuration), MfaValue = MfaValueOf(configuration), IdentityNumberClaim = configuration.Get(AppSettingNames.IdentityNumberClaim) };
    }
}
