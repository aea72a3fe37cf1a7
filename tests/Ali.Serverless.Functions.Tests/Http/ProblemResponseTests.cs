using System.Text.Json;
using Ali.Serverless.Common;
using Ali.Serverless.Functions.Http;
using Ali.Serverless.Functions.Tests.Support;

namespace Ali.Serverless.Functions.Tests.Http;

public class ProblemResponseTests
{
    public static TheoryData<ProblemKind, int> StatusByKind => new()
    {
        { ProblemKind.Invalid, 400 },
        { ProblemKind.Unauthorized, 401 },
        { ProblemKind.Forbidden, 403 },
        { ProblemKind.NotFound, 404 },
        { ProblemKind.Conflict, 409 },
        { ProblemKind.PayloadTooLarge, 413 },
        { ProblemKind.UnsupportedMediaType, 415 },
        { ProblemKind.Unprocessable, 422 },
        { ProblemKind.TooManyRequests, 429 },
        { ProblemKind.Unavailable, 503 },
    };

    [Theory]
    [MemberData(nameof(StatusByKind))]
    public async Task From_EachProblemKind_WritesItsStatus(ProblemKind kind, int status)
    {
        var context = HttpTest.Context();

        var written = await HttpTest.ExecuteAsync(ProblemResponse.From(new Problem(kind, "some-type", "Title.", "Detail."), context.Request), context);

        Assert.Equal(status, ProblemResponse.StatusOf(kind));
        Assert.Equal(status, written.Status);
        Assert.Equal(status, written.Body.GetProperty("status").GetInt32());
    }

    [Fact]
    public void StatusOf_EveryProblemKind_HasAStatusInTheTheory()
    {
        var covered = StatusByKind.Select(row => (ProblemKind)row[0]).ToHashSet();

        Assert.Equal(Enum.GetValues<ProblemKind>().ToHashSet(), covered);
    }

    [Fact]
    public async Task From_ProblemWithErrorsAndExtensions_WritesTheWholeProblemDocument()
    {
        var context = HttpTest.Context("POST", "/api/applications/0192a7b3/submit");
        context.TraceIdentifier = "trace-4711";
        var problem = Problem.Unprocessable(
            "materials-missing",
            "Materials are missing.",
            "Upload every required material before submitting.",
            new Dictionary<string, string[]> { ["materials.ID-CARD"] = ["Required."] },
            new Dictionary<string, object?> { ["missing"] = new[] { "ID-CARD" }, ["itemCode"] = "542500-SCJGJ-001" });

        var written = await HttpTest.ExecuteAsync(ProblemResponse.From(problem, context.Request), context);

        Assert.StartsWith("application/problem+json", written.ContentType, StringComparison.Ordinal);
        var body = written.Body;
        Assert.Equal("urn:ali-serverless:problem:materials-missing", body.GetProperty("type").GetString());
        Assert.Equal("Materials are missing.", body.GetProperty("title").GetString());
        Assert.Equal(422, body.GetProperty("status").GetInt32());
        Assert.Equal("Upload every required material before submitting.", body.GetProperty("detail").GetString());
        Assert.Equal("/api/applications/0192a7b3/submit", body.GetProperty("instance").GetString());
        Assert.Equal("Required.", body.GetProperty("errors").GetProperty("materials.ID-CARD")[0].GetString());
        Assert.Equal("ID-CARD", body.GetProperty("missing")[0].GetString());
        Assert.Equal("542500-SCJGJ-001", body.GetProperty("itemCode").GetString());
        Assert.False(body.TryGetProperty("extensions", out _));
        Assert.Equal("trace-4711", body.GetProperty("traceId").GetString());
    }

    [Fact]
    public async Task From_ExtensionNamedLikeAStandardMember_DoesNotReplaceIt()
    {
        var context = HttpTest.Context("POST", "/api/applications/x/submit");
        var problem = Problem.Conflict("already-submitted", "Already submitted.", "No more changes.",
            new Dictionary<string, object?> { ["status"] = "submitted", ["type"] = "other", ["caseNumber"] = "542500-20261128-0123456789" });

        var written = await HttpTest.ExecuteAsync(ProblemResponse.From(problem, context.Request), context);

        Assert.Equal(409, written.Body.GetProperty("status").GetInt32());
        Assert.Equal("urn:ali-serverless:problem:already-submitted", written.Body.GetProperty("type").GetString());
        Assert.Equal("542500-20261128-0123456789", written.Body.GetProperty("caseNumber").GetString());
    }

    [Fact]
    public async Task From_ProblemWithoutErrors_LeavesErrorsOut()
    {
        var context = HttpTest.Context();

        var written = await HttpTest.ExecuteAsync(ProblemResponse.From(Problem.NotFound("Application 'x'"), context.Request), context);

        Assert.False(written.Body.TryGetProperty("errors", out _));
        Assert.Equal(JsonValueKind.String, written.Body.GetProperty("traceId").ValueKind);
    }

    [Fact]
    public async Task From_Unauthorized_AsksForABearerToken()
    {
        var context = HttpTest.Context();
        var problem = new Problem(ProblemKind.Unauthorized, "unauthorized", "Authentication required.", "Send a token.");

        var written = await HttpTest.ExecuteAsync(ProblemResponse.From(problem, context.Request), context);

        Assert.Equal(401, written.Status);
        Assert.Equal("Bearer", context.Response.Headers.WWWAuthenticate.ToString());
    }

    [Fact]
    public async Task From_Forbidden_DoesNotAskForAToken()
    {
        var context = HttpTest.Context();

        await HttpTest.ExecuteAsync(ProblemResponse.From(Problem.Forbidden("Not yours."), context.Request), context);

        Assert.False(context.Response.Headers.ContainsKey("WWW-Authenticate"));
    }

    [Fact]
    public async Task ServerError_Always_Is500ProblemWithTraceId()
    {
        var context = HttpTest.Context("PUT", "/api/applications/abc");
        context.TraceIdentifier = "trace-0500";

        var written = await HttpTest.ExecuteAsync(ProblemResponse.ServerError(context.Request), context);

        Assert.Equal(500, written.Status);
        Assert.StartsWith("application/problem+json", written.ContentType, StringComparison.Ordinal);
        Assert.Equal("urn:ali-serverless:problem:internal-error", written.Body.GetProperty("type").GetString());
        Assert.Equal(500, written.Body.GetProperty("status").GetInt32());
        Assert.Equal("/api/applications/abc", written.Body.GetProperty("instance").GetString());
        Assert.Equal("trace-0500", written.Body.GetProperty("traceId").GetString());
    }

    [Fact]
    public async Task NotFound_UnknownRoute_NamesMethodAndPath()
    {
        var context = HttpTest.Context("DELETE", "/api/nowhere");

        var written = await HttpTest.ExecuteAsync(ProblemResponse.NotFound(context.Request), context);

        Assert.Equal(404, written.Status);
        Assert.Contains("DELETE /api/nowhere", written.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
