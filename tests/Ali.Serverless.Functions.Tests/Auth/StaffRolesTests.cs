using Ali.Serverless.Common;
using Ali.Serverless.Functions.Auth;
using Ali.Serverless.Functions.Http;
using Ali.Serverless.Functions.Tests.Support;
using Ali.Serverless.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Moq;

namespace Ali.Serverless.Functions.Tests.Auth;

/// <summary>The staff roles: who must name a department, and routes that admit some roles only.</summary>
public class StaffRolesTests
{
    private readonly AuthSettings _settings = TestAuth.DevelopmentSettings();

    [Theory]
    [InlineData(Roles.Reviewer, "542500-FGW")]
    [InlineData(Roles.DepartmentSystem, "542500-ZRZYJ")]
    [InlineData(Roles.Supervisor, null)]
    [InlineData(Roles.Operator, null)]
    public async Task EveryNewRole_IsAccepted_WithItsDepartment(string role, string? department)
    {
        var token = TestAuth.Tokens(_settings).Mint(role, "staff-1", department);

        var caller = await new CallerAuthenticator(_settings).AuthenticateAsync(HttpTest.Bearer(token));

        Assert.Equal(new Caller("staff-1", role, department), caller.Value);
    }

    [Theory]
    [InlineData(Roles.Reviewer, null)]
    [InlineData(Roles.DepartmentSystem, "")]
    [InlineData(Roles.DepartmentSystem, "542500 FGW")]
    [InlineData(Roles.WindowClerk, "542500-FGW'--")]
    public async Task DepartmentRoles_WithoutAUsableDepartment_AreForbidden(string role, string? department)
    {
        var token = TestAuth.Tokens(_settings).Mint(role, "staff-1", department);

        var caller = await new CallerAuthenticator(_settings).AuthenticateAsync(HttpTest.Bearer(token));

        Assert.Equal(ProblemKind.Forbidden, caller.Problem!.Kind);
    }

    [Fact]
    public async Task RouteForSomeRoles_RefusesOthersWith403_AndNeverRunsTheHandler()
    {
        var api = new Api(new CallerAuthenticator(_settings), new Mock<Ali.Serverless.Audit.IAuditLog>().Object, TimeProvider.System, new Mock<ILogger<Api>>().Object);
        var context = HttpTest.Context(authorization: $"Bearer {TestAuth.Tokens(_settings).Mint(Roles.Reviewer, "r-1", "542500-FGW")}");
        var ran = false;

        var result = await api.RunAsync(context.Request, "OpenApplication", (_, _) => { ran = true; return Task.FromResult(Results.Ok()); });
        var written = await HttpTest.ExecuteAsync(result, context);

        Assert.Equal(403, written.Status);
        Assert.Contains("applicant", written.Body.GetProperty("detail").GetString());
        Assert.False(ran);
    }

    [Theory]
    [InlineData(Roles.WindowClerk, "542521-HALL")]
    [InlineData(Roles.Reviewer, "542500-FGW")]
    [InlineData(Roles.Supervisor, null)]
    [InlineData(Roles.Operator, null)]
    public async Task StaffWithoutMultiFactorSignIn_AreForbidden(string role, string? department)
    {
        var token = TestAuth.Tokens(_settings).Mint(role, "staff-1", department, mfa: false);

        var caller = await new CallerAuthenticator(_settings).AuthenticateAsync(HttpTest.Bearer(token));

        Assert.Equal("mfa-required", caller.Problem!.Type);
        Assert.Equal(ProblemKind.Forbidden, caller.Problem.Kind);
    }

    [Theory]
    [InlineData(Roles.Applicant, null)]
    [InlineData(Roles.DepartmentSystem, "542500-ZRZYJ")]
    public async Task ApplicantsAndDepartmentSystems_NeedNoSecondFactor(string role, string? department)
    {
        var token = TestAuth.Tokens(_settings).Mint(role, "someone", department, mfa: false);

        Assert.True((await new CallerAuthenticator(_settings).AuthenticateAsync(HttpTest.Bearer(token))).IsSuccess);
    }

    [Fact]
    public async Task TheMfaClaimAndValue_AreConfiguration()
    {
        var settings = AuthSettings.From(
            TestAuth.Configuration(("Auth:DevelopmentSigningKey", TestAuth.SigningKey), ("Auth:Issuer", TestAuth.Issuer), ("Auth:Audience", TestAuth.Audience),
                ("Auth:StaffMfaClaim", "acr"), ("Auth:StaffMfaValue", "urn:gov:loa:3")),
            new FakeHostEnvironment("Development"));
        var handmade = TestAuth.Handmade([new System.Security.Claims.Claim("sub", "r-1"), new System.Security.Claims.Claim("role", Roles.Reviewer),
            new System.Security.Claims.Claim("department", "542500-FGW"), new System.Security.Claims.Claim("acr", "urn:gov:loa:3")]);

        Assert.True((await new CallerAuthenticator(settings).AuthenticateAsync(HttpTest.Bearer(handmade))).IsSuccess);
        Assert.False((await new CallerAuthenticator(TestAuth.DevelopmentSettings()).AuthenticateAsync(HttpTest.Bearer(handmade))).IsSuccess);
    }
}
