using System.Security.Claims;
using Ali.Serverless.Functions.Auth;
using Ali.Serverless.Functions.Tests.Support;
using Ali.Serverless.Identity;

namespace Ali.Serverless.Functions.Tests.Auth;

/// <summary>一号: the verified identity number comes from the configured claim, for applicants only, and never shows in a printed caller.</summary>
public sealed class IdentityNumberClaimTests
{
    private const string Number = "11010519491231002X";

    private static AuthSettings Settings(string? claim) => AuthSettings.From(
        TestAuth.Configuration(("Auth:DevelopmentSigningKey", TestAuth.SigningKey), ("Auth:Issuer", TestAuth.Issuer),
            ("Auth:Audience", TestAuth.Audience), ("Auth:IdentityNumberClaim", claim)),
        new FakeHostEnvironment("Development"));

    private static async Task<Caller> AuthenticateAsync(AuthSettings settings, params Claim[] extra)
    {
        var token = TestAuth.Handmade([new("sub", "citizen-1"), new("role", Roles.Applicant), .. extra]);
        var result = await new CallerAuthenticator(settings).AuthenticateAsync(HttpTest.Bearer(token));
        Assert.True(result.IsSuccess, result.Problem?.Detail);
        return result.Value!;
    }

    [Fact]
    public async Task WithTheClaimConfigured_TheNumberIsTakenNormalised()
    {
        var caller = await AuthenticateAsync(Settings("id_number"), new Claim("id_number", "11010519491231002x"));

        Assert.Equal(Number, caller.IdentityNumber);
        Assert.DoesNotContain(Number, caller.ToString());
    }

    [Fact]
    public async Task WithoutTheSetting_TheClaimIsIgnored()
    {
        var caller = await AuthenticateAsync(Settings(null), new Claim("id_number", Number));

        Assert.Null(caller.IdentityNumber);
    }

    [Fact]
    public async Task AnInvalidNumber_LinksNothing()
    {
        var caller = await AuthenticateAsync(Settings("id_number"), new Claim("id_number", "110105194912310021"));

        Assert.Null(caller.IdentityNumber);
    }

    [Fact]
    public async Task StaffTokens_NeverCarryOne()
    {
        var settings = Settings("id_number");
        var token = TestAuth.Handmade([new("sub", "clerk-1"), new("role", Roles.WindowClerk), new("department", "542500-ZWFWZX"),
            new("amr", "mfa"), new("id_number", Number)]);

        var caller = (await new CallerAuthenticator(settings).AuthenticateAsync(HttpTest.Bearer(token))).Value!;

        Assert.Null(caller.IdentityNumber);
    }

    [Fact]
    public async Task DevelopmentTokens_MintTheClaim_OnlyWhenItIsConfigured()
    {
        var settings = Settings("id_number");
        var tokens = TestAuth.Tokens(settings);

        var caller = (await new CallerAuthenticator(settings).AuthenticateAsync(HttpTest.Bearer(tokens.Mint(Roles.Applicant, "citizen-1", null, identityNumber: Number)))).Value!;

        Assert.Equal(Number, caller.IdentityNumber);
        Assert.True(tokens.CanCarryIdentityNumber);
        Assert.False(TestAuth.Tokens(Settings(null)).CanCarryIdentityNumber);
        Assert.Throws<InvalidOperationException>(() => TestAuth.Tokens(Settings(null)).Mint(Roles.Applicant, "citizen-1", null, identityNumber: Number));
    }
}
