using System.Security.Claims;
using Ali.Serverless.Common;
using Ali.Serverless.Functions.Auth;
using Ali.Serverless.Functions.Tests.Support;
using Ali.Serverless.Identity;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ali.Serverless.Functions.Tests.Auth;

public class CallerAuthenticatorTests
{
    private readonly AuthSettings _settings = TestAuth.DevelopmentSettings();
    private readonly CallerAuthenticator _authenticator;

    public CallerAuthenticatorTests() => _authenticator = new CallerAuthenticator(_settings);

    private static void AssertRefused(Result<Caller> result, ProblemKind kind)
    {
        Assert.False(result.IsSuccess);
        Assert.Null(result.Value);
        Assert.Equal(kind, result.Problem!.Kind);
    }

    [Fact]
    public async Task Authenticate_ValidApplicantToken_ReturnsCallerWithSubjectAndRole()
    {
        var token = TestAuth.Tokens(_settings).Mint(Roles.Applicant, "user-7f3a", null);

        var result = await _authenticator.AuthenticateAsync(HttpTest.Bearer(token));

        Assert.True(result.IsSuccess);
        Assert.Equal(new Caller("user-7f3a", Roles.Applicant, null), result.Value);
    }

    [Fact]
    public async Task Authenticate_ClerkTokenWithDepartment_ReturnsCallerWithDepartment()
    {
        var token = TestAuth.Tokens(_settings).Mint(Roles.WindowClerk, "clerk-0042", "542500-SCJGJ");

        var result = await _authenticator.AuthenticateAsync(HttpTest.Bearer(token));

        Assert.True(result.IsSuccess);
        Assert.Equal(new Caller("clerk-0042", Roles.WindowClerk, "542500-SCJGJ"), result.Value);
        Assert.Equal("hall:542500-SCJGJ", result.Value!.OwnerId);
    }

    [Fact]
    public async Task Authenticate_LowerCaseBearerScheme_IsAccepted()
    {
        var token = TestAuth.Tokens(_settings).Mint(Roles.Applicant, "user-7f3a", null);

        var result = await _authenticator.AuthenticateAsync(HttpTest.Context(authorization: $"bearer {token}").Request);

        Assert.True(result.IsSuccess);
    }

    [Fact]
    public async Task Authenticate_NoAuthorizationHeader_IsUnauthorized()
    {
        var result = await _authenticator.AuthenticateAsync(HttpTest.Context().Request);

        AssertRefused(result, ProblemKind.Unauthorized);
        Assert.Contains("Bearer", result.Problem!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authenticate_BasicScheme_IsUnauthorized()
    {
        var request = HttpTest.Context(authorization: "Basic dXNlcjpwYXNzd29yZA==").Request;

        var result = await _authenticator.AuthenticateAsync(request);

        AssertRefused(result, ProblemKind.Unauthorized);
    }

    [Theory]
    [InlineData("Bearer ")]
    [InlineData("Bearer not-a-jwt")]
    [InlineData("Bearer a.b.c")]
    public async Task Authenticate_EmptyOrGarbledToken_IsUnauthorized(string header)
    {
        var result = await _authenticator.AuthenticateAsync(HttpTest.Context(authorization: header).Request);

        AssertRefused(result, ProblemKind.Unauthorized);
    }

    [Fact]
    public async Task Authenticate_ExpiredToken_IsUnauthorized()
    {
        var longAgo = new FakeTimeProvider(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var token = TestAuth.Tokens(_settings, longAgo).Mint(Roles.Applicant, "user-7f3a", null);

        var result = await _authenticator.AuthenticateAsync(HttpTest.Bearer(token));

        AssertRefused(result, ProblemKind.Unauthorized);
    }

    [Fact]
    public async Task Authenticate_TokenExpiredJustWithinClockSkew_IsAccepted()
    {
        // Expired one minute ago: inside the two minutes of skew the settings allow.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow - DevelopmentTokens.Lifetime - TimeSpan.FromMinutes(1));
        var token = TestAuth.Tokens(_settings, clock).Mint(Roles.Applicant, "user-7f3a", null);

        var result = await _authenticator.AuthenticateAsync(HttpTest.Bearer(token));

        Assert.True(result.IsSuccess);
    }

    [Fact]
    public async Task Authenticate_WrongAudience_IsUnauthorized()
    {
        var token = TestAuth.Handmade([new("sub", "user-7f3a"), new("role", Roles.Applicant)], audience: "api://some-other-api");

        var result = await _authenticator.AuthenticateAsync(HttpTest.Bearer(token));

        AssertRefused(result, ProblemKind.Unauthorized);
    }

    [Fact]
    public async Task Authenticate_WrongIssuer_IsUnauthorized()
    {
        var token = TestAuth.Handmade([new("sub", "user-7f3a"), new("role", Roles.Applicant)], issuer: "https://evil.test/");

        var result = await _authenticator.AuthenticateAsync(HttpTest.Bearer(token));

        AssertRefused(result, ProblemKind.Unauthorized);
    }

    [Fact]
    public async Task Authenticate_SignedWithAnotherKey_IsUnauthorized()
    {
        var otherSettings = TestAuth.DevelopmentSettings("a-different-key-somebody-else-has-1234");
        var token = TestAuth.Tokens(otherSettings).Mint(Roles.Applicant, "user-7f3a", null);

        var result = await _authenticator.AuthenticateAsync(HttpTest.Bearer(token));

        AssertRefused(result, ProblemKind.Unauthorized);
    }

    [Fact]
    public async Task Authenticate_UnsignedToken_IsUnauthorized()
    {
        var now = DateTime.UtcNow;
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TestAuth.Issuer,
            Audience = TestAuth.Audience,
            Subject = new ClaimsIdentity([new Claim("sub", "user-7f3a"), new Claim("role", Roles.Applicant)]),
            NotBefore = now,
            Expires = now.AddHours(1),
        });

        var result = await _authenticator.AuthenticateAsync(HttpTest.Bearer(token));

        AssertRefused(result, ProblemKind.Unauthorized);
    }

    [Fact]
    public async Task Authenticate_TokenWithoutExpiry_IsUnauthorized()
    {
        var token = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TestAuth.Issuer,
            Audience = TestAuth.Audience,
            Subject = new ClaimsIdentity([new Claim("sub", "user-7f3a"), new Claim("role", Roles.Applicant)]),
            SigningCredentials = new SigningCredentials(TestAuth.KeyFor(TestAuth.SigningKey), SecurityAlgorithms.HmacSha256),
        });

        var result = await _authenticator.AuthenticateAsync(HttpTest.Bearer(token));

        AssertRefused(result, ProblemKind.Unauthorized);
    }

    [Fact]
    public async Task Authenticate_NoSubject_IsUnauthorized()
    {
        var token = TestAuth.Handmade([new("role", Roles.Applicant)]);

        var result = await _authenticator.AuthenticateAsync(HttpTest.Bearer(token));

        AssertRefused(result, ProblemKind.Unauthorized);
        Assert.Contains("subject", result.Problem!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authenticate_RoleNotServed_IsForbidden()
    {
        var token = TestAuth.Tokens(_settings).Mint("administrator", "user-7f3a", null);

        var result = await _authenticator.AuthenticateAsync(HttpTest.Bearer(token));

        AssertRefused(result, ProblemKind.Forbidden);
    }

    [Fact]
    public async Task Authenticate_NoRoleAtAll_IsForbidden()
    {
        var token = TestAuth.Handmade([new("sub", "user-7f3a")]);

        var result = await _authenticator.AuthenticateAsync(HttpTest.Bearer(token));

        AssertRefused(result, ProblemKind.Forbidden);
    }

    [Fact]
    public async Task Authenticate_RoleInEntraRolesClaim_IsAccepted()
    {
        // Entra ID states a multi-factor sign-in in amr, as a staff token must.
        var token = TestAuth.Handmade([new("sub", "clerk-0042"), new("roles", Roles.WindowClerk), new("department", "542521-GAJ"), new("amr", "pwd"), new("amr", "mfa")]);

        var result = await _authenticator.AuthenticateAsync(HttpTest.Bearer(token));

        Assert.True(result.IsSuccess);
        Assert.Equal(new Caller("clerk-0042", Roles.WindowClerk, "542521-GAJ"), result.Value);
    }

    [Fact]
    public async Task Authenticate_RolesArrayWithUnknownRoleFirst_PicksTheRoleThisApiServes()
    {
        var token = TestAuth.Handmade(
            [new("sub", "user-7f3a")],
            extraClaims: new Dictionary<string, object> { ["roles"] = new[] { "Directory.Reader", Roles.Applicant } });

        var result = await _authenticator.AuthenticateAsync(HttpTest.Bearer(token));

        Assert.True(result.IsSuccess);
        Assert.Equal(Roles.Applicant, result.Value!.Role);
    }
}

/// <summary>The authenticator with its cache of validated tokens (decision 23): only what validation passed is kept.</summary>
public class CallerAuthenticatorCacheTests
{
    private readonly AuthSettings _settings = TestAuth.DevelopmentSettings();

    [Fact]
    public async Task Authenticate_SameTokenTwice_KeepsItOnceAndAnswersTheSameCaller()
    {
        var cache = new ValidatedTokens(TimeProvider.System);
        var authenticator = new CallerAuthenticator(_settings, cache);
        var token = TestAuth.Tokens(_settings).Mint(Roles.Reviewer, "rsj-1", "542500-RSJ");

        var first = await authenticator.AuthenticateAsync(HttpTest.Bearer(token));
        var second = await authenticator.AuthenticateAsync(HttpTest.Bearer(token));

        Assert.Equal(new Caller("rsj-1", Roles.Reviewer, "542500-RSJ"), first.Value);
        Assert.Equal(first.Value, second.Value);
        Assert.Equal(1, cache.Count);
        Assert.Equal(first.Value, cache.Find(token));
    }

    [Fact]
    public async Task Authenticate_KeepsTheTokenOnlyUntilItsOwnExpiry()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var cache = new ValidatedTokens(clock);
        var authenticator = new CallerAuthenticator(_settings, cache);
        var token = TestAuth.Tokens(_settings).Mint(Roles.Applicant, "user-7f3a", null);

        Assert.True((await authenticator.AuthenticateAsync(HttpTest.Bearer(token))).IsSuccess);
        clock.Advance(DevelopmentTokens.Lifetime + TimeSpan.FromSeconds(1));

        Assert.Null(cache.Find(token));
    }

    [Fact]
    public async Task Authenticate_RefusedTokens_AreNeverKept()
    {
        var cache = new ValidatedTokens(TimeProvider.System);
        var authenticator = new CallerAuthenticator(_settings, cache);
        var expired = TestAuth.Tokens(_settings, new FakeTimeProvider(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero))).Mint(Roles.Applicant, "user-7f3a", null);
        var staffWithoutMfa = TestAuth.Tokens(_settings).Mint(Roles.Reviewer, "rsj-1", "542500-RSJ", mfa: false);

        Assert.False((await authenticator.AuthenticateAsync(HttpTest.Bearer(expired))).IsSuccess);
        Assert.False((await authenticator.AuthenticateAsync(HttpTest.Bearer(staffWithoutMfa))).IsSuccess);
        Assert.False((await authenticator.AuthenticateAsync(HttpTest.Bearer(expired))).IsSuccess);

        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task Authenticate_TamperedCopyOfAKeptToken_IsStillRefused()
    {
        var cache = new ValidatedTokens(TimeProvider.System);
        var authenticator = new CallerAuthenticator(_settings, cache);
        var token = TestAuth.Tokens(_settings).Mint(Roles.Applicant, "user-7f3a", null);
        Assert.True((await authenticator.AuthenticateAsync(HttpTest.Bearer(token))).IsSuccess);

        // A character inside the signature (the last one may hold only padding bits).
        var at = token.Length - 10;
        var tampered = token[..at] + (token[at] == 'A' ? 'B' : 'A') + token[(at + 1)..];

        Assert.False((await authenticator.AuthenticateAsync(HttpTest.Bearer(tampered))).IsSuccess);
    }
}
