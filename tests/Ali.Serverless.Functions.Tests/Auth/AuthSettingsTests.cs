using Ali.Serverless.Functions.Auth;
using Ali.Serverless.Functions.Tests.Support;
using Ali.Serverless.Identity;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Ali.Serverless.Functions.Tests.Auth;

public class AuthSettingsTests
{
    private const string MetadataAddress = "https://login.test/tenant/v2.0/.well-known/openid-configuration";

    [Fact]
    public void From_DevelopmentKeyInDevelopment_UsesTheConfiguredIssuerAudienceAndKey()
    {
        var settings = TestAuth.DevelopmentSettings();

        Assert.Equal(TestAuth.Issuer, settings.Parameters.ValidIssuer);
        Assert.Equal(TestAuth.Audience, settings.Parameters.ValidAudience);
        Assert.True(settings.Parameters.ValidateLifetime);
        Assert.True(settings.Parameters.RequireExpirationTime);
        Assert.NotNull(settings.DevelopmentKey);
        Assert.Same(settings.DevelopmentKey, settings.Parameters.IssuerSigningKey);
        Assert.Null(settings.Parameters.ConfigurationManager);
    }

    [Fact]
    public void From_NoIssuerOrAudienceConfigured_FallsBackToTheDefaults()
    {
        var settings = AuthSettings.From(
            TestAuth.Configuration(("Auth:DevelopmentSigningKey", TestAuth.SigningKey)),
            new FakeHostEnvironment("Development"));

        Assert.Equal(AuthSettings.DefaultIssuer, settings.Parameters.ValidIssuer);
        Assert.Equal(AuthSettings.DefaultAudience, settings.Parameters.ValidAudience);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void From_DevelopmentKeyOutsideDevelopment_Throws(string environment)
    {
        var configuration = TestAuth.Configuration(("Auth:DevelopmentSigningKey", TestAuth.SigningKey), ("Auth:MetadataAddress", MetadataAddress));

        var error = Assert.Throws<InvalidOperationException>(() => AuthSettings.From(configuration, new FakeHostEnvironment(environment)));

        Assert.Contains("Auth__DevelopmentSigningKey", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    public void From_NeitherKeyNorMetadataAddress_ThrowsNamingTheMetadataSetting(string environment)
    {
        var configuration = TestAuth.Configuration(("Auth:Issuer", TestAuth.Issuer), ("Auth:DevelopmentSigningKey", "   "));

        var error = Assert.Throws<InvalidOperationException>(() => AuthSettings.From(configuration, new FakeHostEnvironment(environment)));

        Assert.Contains("Auth__MetadataAddress", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void From_MetadataAddressInProduction_UsesTheIdentityProvidersKeysAndHasNoDevelopmentKey()
    {
        var configuration = TestAuth.Configuration(
            ("Auth:MetadataAddress", MetadataAddress), ("Auth:Issuer", TestAuth.Issuer), ("Auth:Audience", TestAuth.Audience));

        var settings = AuthSettings.From(configuration, new FakeHostEnvironment("Production"));

        var manager = Assert.IsType<ConfigurationManager<OpenIdConnectConfiguration>>(settings.Parameters.ConfigurationManager);
        Assert.Equal(MetadataAddress, manager.MetadataAddress);
        Assert.Null(settings.DevelopmentKey);
        Assert.Null(settings.Parameters.IssuerSigningKey);
        Assert.Equal(TestAuth.Issuer, settings.Parameters.ValidIssuer);
        Assert.Equal(TestAuth.Audience, settings.Parameters.ValidAudience);
    }
}

public class DevelopmentTokensTests
{
    [Fact]
    public void Mint_WithMetadataOnlySettings_Throws()
    {
        var settings = AuthSettings.From(
            TestAuth.Configuration(("Auth:MetadataAddress", "http://localhost:9999/.well-known/openid-configuration")),
            new FakeHostEnvironment("Development"));
        var tokens = new DevelopmentTokens(settings, TimeProvider.System);

        Assert.Throws<InvalidOperationException>(() => tokens.Mint(Roles.Applicant, "user-7f3a", null));
    }

    [Theory]
    [InlineData(Roles.Applicant, true)]
    [InlineData(Roles.WindowClerk, true)]
    [InlineData("Applicant", false)]
    [InlineData("administrator", false)]
    [InlineData(null, false)]
    public void IsKnownRole_ServedRolesOnly_MatchesExactly(string? role, bool known)
    {
        Assert.Equal(known, DevelopmentTokens.IsKnownRole(role));
    }
}
