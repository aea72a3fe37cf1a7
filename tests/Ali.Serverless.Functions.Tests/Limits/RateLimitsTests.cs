using System.Text.Json;
using Ali.Serverless.Functions.Auth;
using Ali.Serverless.Functions.Http;
using Ali.Serverless.Functions.Tests.Support;
using Ali.Serverless.Identity;
using Ali.Serverless.Limits;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Moq;

namespace Ali.Serverless.Functions.Tests.Limits;

/// <summary>Per-account rate limits as every HTTP function meets them through <see cref="Api"/>.</summary>
public sealed class RateLimitsTests
{
    private readonly AuthSettings _settings = TestAuth.DevelopmentSettings();
    private readonly Mock<IRateLimitStore> _store = new();
    private readonly Mock<ILogger<Api>> _logger = new();
    private readonly List<(string Subject, string Bucket, int Limit)> _counted = [];
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 10, 2, 59, 0, TimeSpan.Zero));
    private bool _allow = true;

    public RateLimitsTests() =>
        _store.Setup(s => s.TryCountAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<TimeSpan>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .Callback((string subject, string bucket, DateTimeOffset _, TimeSpan _, int limit, CancellationToken _) => _counted.Add((subject, bucket, limit)))
            .ReturnsAsync(() => _allow);

    private Api Api(RateLimitSettings? settings = null) => new(new CallerAuthenticator(_settings), new Mock<Ali.Serverless.Audit.IAuditLog>().Object, _clock, _logger.Object,
        new RateLimits(new RateLimiter(_store.Object, _clock), settings ?? new RateLimitSettings()));

    private HttpContext _context = null!;

    private async Task<Written> CallAsync(Api api, string function, string role, string subject, string? department = null)
    {
        var token = TestAuth.Tokens(_settings).Mint(role, subject, department);
        _context = HttpTest.Context("POST", "/api/x", $"Bearer {token}");
        var result = await api.RunAsync(_context.Request, function, (_, _) => Task.FromResult(Results.NoContent()));
        return await HttpTest.ExecuteAsync(result, _context);
    }

    [Fact]
    public async Task OverTheLimit_Is429_WithRetryAfter_AndAProblemNamingTheLimit()
    {
        _allow = false;
        var api = Api(new RateLimitSettings { OpenApplication = 5 });

        var written = await CallAsync(api, "OpenApplication", Roles.Applicant, "citizen-1");

        Assert.Equal(429, written.Status);
        Assert.Equal("60", _context.Response.Headers.RetryAfter.ToString());
        Assert.Equal("urn:ali-serverless:problem:rate-limited", written.Body.GetProperty("type").GetString());
        Assert.Equal("open-application", written.Body.GetProperty("limit").GetString());
        Assert.Equal(5, written.Body.GetProperty("limitValue").GetInt32());
        Assert.Equal(("applicant:citizen-1", "open-application", 5), _counted.Single());
    }

    [Theory]
    [InlineData("OpenApplication", Roles.Applicant, null, "open-application", 30)]
    [InlineData("DeclareMaterial", Roles.WindowClerk, "542521-ZWFWZX", "declare-material", 120)]
    [InlineData("RenewUploadTarget", Roles.Applicant, null, "declare-material", 120)]
    [InlineData("SubmitApplication", Roles.Applicant, null, "sms-actions", 30)]
    [InlineData("WithdrawApplication", Roles.WindowClerk, "542521-ZWFWZX", "sms-actions", 30)]
    [InlineData("CompleteTask", Roles.Reviewer, "542500-FGW", "sms-actions", 600)]
    [InlineData("StartSpecialProcedure", Roles.DepartmentSystem, "542500-FGW", "sms-actions", 600)]
    [InlineData("EndSpecialProcedure", Roles.Reviewer, "542500-FGW", "sms-actions", 600)]
    public async Task LimitedFunctions_CountPerAccount_InTheirBucket(string function, string role, string? department, string bucket, int limit)
    {
        var written = await CallAsync(Api(), function, role, "someone-1", department);

        Assert.Equal(204, written.Status);
        // A clerk is limited as a clerk (by subject), not by the hall.
        Assert.Equal(($"{role}:someone-1", bucket, limit), _counted.Single());
    }

    [Theory]
    [InlineData("GetApplication", Roles.Applicant)]
    [InlineData("ListApplications", Roles.Applicant)]
    [InlineData("CompleteMaterial", Roles.Applicant)]
    [InlineData("ResubmitApplication", Roles.Applicant)]
    [InlineData("SetMyPreferences", Roles.Operator)]
    public async Task OtherFunctions_AreNotCounted(string function, string role)
    {
        _allow = false;

        var written = await CallAsync(Api(), function, role, "someone-1");

        Assert.Equal(204, written.Status);
        Assert.Empty(_counted);
    }

    [Fact]
    public async Task ARefusedRole_IsRefusedBeforeAnythingIsCounted()
    {
        var written = await CallAsync(Api(), "OpenApplication", Roles.Supervisor, "sup-1");

        Assert.Equal(403, written.Status);
        Assert.Empty(_counted);
    }

    [Fact]
    public async Task AFailingCounterStore_LetsTheRequestThrough_AndLogsAnError()
    {
        _store.Setup(s => s.TryCountAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<TimeSpan>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("store down"));

        var written = await CallAsync(Api(), "OpenApplication", Roles.Applicant, "citizen-1");

        Assert.Equal(204, written.Status);
        _logger.VerifyLogged(LogLevel.Error, Times.Once());
    }

    [Fact]
    public void EveryLimitedFunction_IsInThePermissionTable_AndDocuments429WithRetryAfter()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoRoot(), "functions", "Ali.Serverless.Functions", "Http", "openapi.json")));
        var operations = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject())
            .Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("operationId", out _))
            .ToDictionary(o => o.Value.GetProperty("operationId").GetString()!, o => o.Value);
        foreach (var function in RateLimits.BucketByFunction.Keys)
        {
            Assert.NotNull(Permissions.For(function));
            Assert.True(operations[function].GetProperty("responses").TryGetProperty("429", out _), $"{function} does not document 429");
        }
        var limited = operations.Where(o => o.Value.GetProperty("responses").TryGetProperty("429", out _)).Select(o => o.Key).Order();
        Assert.Equal(RateLimits.BucketByFunction.Keys.Order(), limited);
        var tooMany = document.RootElement.GetProperty("components").GetProperty("responses").GetProperty("TooManyRequests");
        Assert.True(tooMany.GetProperty("headers").TryGetProperty("Retry-After", out _));
    }

    private static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Ali.Serverless.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }
}
