using Ali.Serverless.Functions.Auth;
using Ali.Serverless.Functions.Http;
using Ali.Serverless.Functions.Tests.Support;
using Ali.Serverless.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Moq;

namespace Ali.Serverless.Functions.Tests.Http;

public class ApiTests
{
    private const string Secret = "AccountKey=c2VjcmV0LXN0b3JhZ2Uta2V5";

    private readonly AuthSettings _settings = TestAuth.DevelopmentSettings();
    private readonly Mock<ILogger<Api>> _logger = new();
    private readonly Api _api;

    public ApiTests() => _api = new Api(new CallerAuthenticator(_settings), new Mock<Ali.Serverless.Audit.IAuditLog>().Object, TimeProvider.System, _logger.Object);

    [Fact]
    public async Task Run_HandlerSucceeds_ReturnsItsResult()
    {
        var context = HttpTest.Context();

        var written = await HttpTest.ExecuteAsync(
            await _api.RunAsync(context.Request, _ => Task.FromResult(Results.Json(new { ok = true }))), context);

        Assert.Equal(200, written.Status);
        Assert.True(written.Body.GetProperty("ok").GetBoolean());
        _logger.VerifyLogged(LogLevel.Error, Times.Never());
    }

    [Fact]
    public async Task Run_HandlerThrows_Returns500ProblemAndLogsAnError()
    {
        var context = HttpTest.Context("POST", "/api/applications");

        var result = await _api.RunAsync(context.Request, _ => throw new InvalidOperationException($"Storage refused: {Secret}"));
        var written = await HttpTest.ExecuteAsync(result, context);

        Assert.Equal(500, written.Status);
        Assert.StartsWith("application/problem+json", written.ContentType, StringComparison.Ordinal);
        Assert.Equal("urn:ali-serverless:problem:internal-error", written.Body.GetProperty("type").GetString());
        _logger.VerifyLogged(LogLevel.Error, Times.Once());
    }

    [Fact]
    public async Task Run_HandlerThrows_SaysNothingOfTheException()
    {
        var context = HttpTest.Context();

        var result = await _api.RunAsync(context.Request, _ => throw new InvalidOperationException($"Storage refused: {Secret}"));
        var written = await HttpTest.ExecuteAsync(result, context);

        Assert.DoesNotContain(Secret, written.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", written.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Storage refused", written.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_HandlerThrowsAsynchronously_Returns500()
    {
        var context = HttpTest.Context();

        var result = await _api.RunAsync(context.Request, async _ =>
        {
            await Task.Yield();
            throw new TimeoutException("late");
        });

        Assert.Equal(500, (await HttpTest.ExecuteAsync(result, context)).Status);
        _logger.VerifyLogged(LogLevel.Error, Times.Once());
    }

    [Fact]
    public async Task Run_RequestAbortedAndHandlerCancelled_Returns499AndLogsNoError()
    {
        var context = HttpTest.Context();
        using var aborted = new CancellationTokenSource();
        context.RequestAborted = aborted.Token;
        await aborted.CancelAsync();

        var result = await _api.RunAsync(context.Request, cancellationToken =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult(Results.Ok());
        });

        Assert.Equal(499, (await HttpTest.ExecuteAsync(result, context)).Status);
        _logger.VerifyLogged(LogLevel.Error, Times.Never());
    }

    [Fact]
    public async Task Run_HandlerCancelledWhileRequestStillOpen_IsAServerError()
    {
        // A timeout inside the handler is our failure, not the caller going away.
        var context = HttpTest.Context();

        var result = await _api.RunAsync(context.Request, _ => throw new OperationCanceledException());

        Assert.Equal(500, (await HttpTest.ExecuteAsync(result, context)).Status);
        _logger.VerifyLogged(LogLevel.Error, Times.Once());
    }

    [Fact]
    public async Task Run_PassesTheRequestAbortedTokenToTheHandler()
    {
        var context = HttpTest.Context();
        using var aborted = new CancellationTokenSource();
        context.RequestAborted = aborted.Token;
        CancellationToken seen = default;

        await _api.RunAsync(context.Request, cancellationToken =>
        {
            seen = cancellationToken;
            return Task.FromResult(Results.Ok());
        });

        Assert.Equal(aborted.Token, seen);
    }

    [Fact]
    public async Task RunAuthenticated_NoToken_Returns401AndNeverCallsTheHandler()
    {
        var context = HttpTest.Context();
        var called = false;

        var result = await _api.RunAsync(context.Request, (_, _) =>
        {
            called = true;
            return Task.FromResult(Results.Ok());
        });
        var written = await HttpTest.ExecuteAsync(result, context);

        Assert.False(called);
        Assert.Equal(401, written.Status);
        Assert.Equal("Bearer", context.Response.Headers.WWWAuthenticate.ToString());
        _logger.VerifyLogged(LogLevel.Error, Times.Never());
    }

    [Fact]
    public async Task RunAuthenticated_RoleNotServed_Returns403AndNeverCallsTheHandler()
    {
        var token = TestAuth.Tokens(_settings).Mint("administrator", "user-7f3a", null);
        var context = HttpTest.Context(authorization: $"Bearer {token}");
        var called = false;

        var result = await _api.RunAsync(context.Request, (_, _) =>
        {
            called = true;
            return Task.FromResult(Results.Ok());
        });

        Assert.False(called);
        Assert.Equal(403, (await HttpTest.ExecuteAsync(result, context)).Status);
    }

    [Fact]
    public async Task RunAuthenticated_ValidToken_CallsTheHandlerWithTheCaller()
    {
        var token = TestAuth.Tokens(_settings).Mint(Roles.WindowClerk, "clerk-0042", "542500-SCJGJ");
        var context = HttpTest.Context(authorization: $"Bearer {token}");
        Caller? seen = null;

        var result = await _api.RunAsync(context.Request, (caller, _) =>
        {
            seen = caller;
            return Task.FromResult(Results.NoContent());
        });

        // Client address and trace id come from the request, for the audit trail.
        Assert.Equal(new Caller("clerk-0042", Roles.WindowClerk, "542500-SCJGJ") { ClientAddress = seen!.ClientAddress, TraceId = seen.TraceId }, seen);
        Assert.False(string.IsNullOrEmpty(seen.TraceId));
        Assert.Equal(204, (await HttpTest.ExecuteAsync(result, context)).Status);
    }

    private (Api Api, List<Ali.Serverless.Audit.AuditEntry> Written) AuditedApi()
    {
        var written = new List<Ali.Serverless.Audit.AuditEntry>();
        var audit = new Mock<Ali.Serverless.Audit.IAuditLog>();
        audit.Setup(a => a.TryAppendAsync(It.IsAny<Ali.Serverless.Audit.AuditEntry>(), It.IsAny<CancellationToken>()))
            .Callback<Ali.Serverless.Audit.AuditEntry, CancellationToken>((e, _) => written.Add(e))
            .Returns(Task.CompletedTask);
        return (new Api(new CallerAuthenticator(_settings), audit.Object, TimeProvider.System, _logger.Object), written);
    }

    [Fact]
    public async Task A_refusal_by_role_is_audited_with_the_forwarded_client_address()
    {
        var (api, written) = AuditedApi();
        var token = TestAuth.Tokens(_settings).Mint(Roles.Reviewer, "reviewer-7", "542500-FGW");
        var context = HttpTest.Context(path: "/api/cases/C-1/audit", authorization: $"Bearer {token}");
        context.Request.Headers["X-Forwarded-For"] = "203.0.113.9, 10.0.0.1";

        var result = await api.RunAsync(context.Request, "GetCaseAudit", (_, _) => Task.FromResult(Results.NoContent()));

        Assert.Equal(403, (await HttpTest.ExecuteAsync(result, context)).Status);
        var entry = Assert.Single(written);
        Assert.Equal(("permission.refused", "refused", "reviewer-7", "reviewer", "542500-FGW", "203.0.113.9"),
            (entry.Action, entry.Outcome, entry.Actor, entry.Role, entry.Department, entry.ClientAddress));
        Assert.Equal("GetCaseAudit GET /api/cases/C-1/audit", entry.Object);
        Assert.StartsWith("day:", entry.Chain);
        Assert.False(string.IsNullOrEmpty(entry.TraceId));
    }

    [Fact]
    public async Task A_staff_request_is_audited_and_an_applicants_is_not()
    {
        var (api, written) = AuditedApi();
        var clerk = HttpTest.Context(authorization: $"Bearer {TestAuth.Tokens(_settings).Mint(Roles.WindowClerk, "clerk-1", "542500-SCJGJ")}");
        var applicant = HttpTest.Context(authorization: $"Bearer {TestAuth.Tokens(_settings).Mint(Roles.Applicant, "citizen-1", null)}");

        await api.RunAsync(clerk.Request, "ListApplications", (_, _) => Task.FromResult(Results.NoContent()));
        await api.RunAsync(applicant.Request, "ListApplications", (_, _) => Task.FromResult(Results.NoContent()));

        var entry = Assert.Single(written);
        Assert.Equal(("staff.request", "success", "clerk-1"), (entry.Action, entry.Outcome, entry.Actor));
    }

    [Theory]
    [InlineData("GetCase")]
    [InlineData("GetTask")]
    public async Task A_staff_read_that_records_itself_writes_no_staff_request_before_it(string function)
    {
        var (api, written) = AuditedApi();
        var reviewer = HttpTest.Context(authorization: $"Bearer {TestAuth.Tokens(_settings).Mint(Roles.Reviewer, "reviewer-1", "542500-RSJ")}");
        var ran = false;

        await api.RunAsync(reviewer.Request, function, (_, _) => { ran = true; return Task.FromResult(Results.NoContent()); });

        // The handler's case.read / task.read record is the request's one record (CaseQueries, decision 26).
        Assert.True(ran);
        Assert.Empty(written);
    }

    [Fact]
    public async Task Only_reads_whose_every_answer_is_recorded_by_their_handler_skip_the_staff_request()
    {
        // GetCaseAudit, for one, answers a malformed page parameter before its handler records anything.
        Assert.Equal(new[] { "GetCase", "GetTask" }, Api.RecordsItsOwnRead.Order(StringComparer.Ordinal));
        Assert.All(Api.RecordsItsOwnRead, function => Assert.Equal("GET", Permissions.For(function).Method));
    }
}
