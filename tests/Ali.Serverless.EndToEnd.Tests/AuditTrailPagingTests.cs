using System.Net;
using System.Text.Json;

namespace Ali.Serverless.EndToEnd.Tests;

/// <summary>A case's audit trail read over HTTP in pages, as a verifier walks it (decision 27).</summary>
[Collection(LocalHostCollection.Name)]
public sealed class AuditTrailPagingTests(LocalHostProcess host)
{
    [Fact]
    public async Task Walking_every_page_gives_the_whole_chain_once_in_order_each_page_verified()
    {
        var (supervisor, caseNumber) = await PendingCaseAsync();
        // Staff reads lengthen the chain to several pages. The pre-check's record follows its state change through the
        // outbox, and the reads' records are written behind their answers: wait until all are on the chain.
        for (var i = 0; i < 7; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await supervisor.GetAsync($"/api/cases/{caseNumber}")).StatusCode);
        }
        await AuditTrails.EventuallyAsync(supervisor, caseNumber,
            records => AuditTrails.Count(records, "case.pre-check") == 1 && AuditTrails.Count(records, "case.read") == 7, "the pre-check and 7 case reads");

        var walked = new List<JsonElement>();
        string? token = null;
        var pages = 0;
        do
        {
            var path = $"/api/cases/{caseNumber}/audit?pageSize=4" + (token is null ? "" : $"&continuationToken={Uri.EscapeDataString(token)}");
            var response = await supervisor.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.JsonAsync();
            var verification = page.GetProperty("verification");
            Assert.True(verification.GetProperty("valid").GetBoolean(), verification.ToString());
            var records = page.GetProperty("records").EnumerateArray().ToList();
            Assert.InRange(records.Count, 1, 4);
            Assert.Equal(walked.Count, verification.GetProperty("fromSequence").GetInt64());
            Assert.Equal(records[^1].GetProperty("sequence").GetInt64(), verification.GetProperty("toSequence").GetInt64());
            walked.AddRange(records);
            token = page.TryGetProperty("continuationToken", out var next) ? next.GetString() : null;
            pages++;
        }
        while (token is not null && pages < 50);

        Assert.True(pages >= 3, $"{pages} pages");
        Assert.True(token is null, "The walk did not reach the end of the chain.");
        // Read whole once the walk's own reads are written: the walk is its beginning, record for record, and what
        // follows it is the walk's page reads, recorded behind their answers.
        var whole = (await AuditTrails.EventuallyAsync(supervisor, caseNumber,
            records => AuditTrails.Count(records, "audit.read") >= pages, "the walk's page reads")).GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(whole.Take(walked.Count).Select(r => r.GetRawText()), walked.Select(r => r.GetRawText()));
        Assert.Equal(Enumerable.Range(0, walked.Count).Select(i => (long)i), walked.Select(r => r.GetProperty("sequence").GetInt64()));
        Assert.All(whole.Skip(walked.Count), r => Assert.Equal("audit.read", r.GetProperty("action").GetString()));
        Assert.Contains(walked, r => r.GetProperty("action").GetString() == "case.pre-check");
        Assert.Equal(7, walked.Count(r => r.GetProperty("action").GetString() == "case.read"));
    }

    [Fact]
    public async Task A_plain_read_is_the_first_page_of_20_and_its_token_reads_on_from_sequence_20()
    {
        var (supervisor, caseNumber) = await PendingCaseAsync();
        for (var i = 0; i < 25; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await supervisor.GetAsync($"/api/cases/{caseNumber}")).StatusCode);
        }
        await AuditTrails.EventuallyAsync(supervisor, caseNumber, records => AuditTrails.Count(records, "case.read") == 25, "25 case reads");

        var first = await (await supervisor.GetAsync($"/api/cases/{caseNumber}/audit")).JsonAsync();

        Assert.Equal(20, first.GetProperty("records").GetArrayLength());
        Assert.Equal((0L, 19L), (first.GetProperty("verification").GetProperty("fromSequence").GetInt64(), first.GetProperty("verification").GetProperty("toSequence").GetInt64()));
        var token = Uri.EscapeDataString(first.GetProperty("continuationToken").GetString()!);
        var second = await (await supervisor.GetAsync($"/api/cases/{caseNumber}/audit?continuationToken={token}")).JsonAsync();
        Assert.Equal(20L, second.GetProperty("records")[0].GetProperty("sequence").GetInt64());
        Assert.Equal(20L, second.GetProperty("verification").GetProperty("fromSequence").GetInt64());
        Assert.True(second.GetProperty("verification").GetProperty("valid").GetBoolean());
    }

    /// <summary>A submitted case past its pre-check, and a supervisor of its own to read its trail.</summary>
    private async Task<(HttpClient Supervisor, string CaseNumber)> PendingCaseAsync()
    {
        var company = await host.ClientAsAsync("applicant", $"company-{Guid.NewGuid():N}");
        var supervisor = await host.ClientAsAsync("supervisor", $"supervisor-{Guid.NewGuid():N}");
        var (id, caseNumber) = await CaseLifecycleTests.SubmitAsync(company);
        await IntakeFlowTests.WaitForAsync(company, id, a => a.GetProperty("status").GetString() == "pending-acceptance");
        return (supervisor, caseNumber);
    }
}
