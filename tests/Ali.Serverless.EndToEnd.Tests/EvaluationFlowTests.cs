using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ali.Serverless.EndToEnd.Tests;

/// <summary>
/// Good and bad reviews (好差评) over HTTP against the local host: a case ends → the applicant gives a bad
/// review → a rectification task in the department's worklist → the department replies → the applicant
/// reads the reply and is told; the public sees the review anonymized and masked; a second review is 409;
/// an appeal upheld by a supervisor voids the review and takes it out of the public list.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class EvaluationFlowTests(LocalHostProcess host)
{
    /// <summary>个体工商户设立登记: 即办件, so one accept-and-approve ends the case.</summary>
    private const string Item = "542500-SCJGJ-01001";

    private const string Department = "542500-SCJGJ";

    private static readonly Dictionary<string, int> Online = new() { ["efficiency"] = 5, ["guideAccuracy"] = 4, ["convenience"] = 5, ["operability"] = 4 };

    /// <summary>
    /// Applies for 个体工商户设立登记, submits and has the department approve on the spot; returns the application id
    /// and case number. The licence tests start from the same case.
    /// </summary>
    internal static async Task<(string Id, string CaseNumber)> CompletedCaseAsync(HttpClient applicant, HttpClient reviewer)
    {
        var id = (await applicant.OpenAsync(new
        {
            itemCode = Item,
            channel = "web",
            applicant = new { kind = "natural-person", documentNumber = Api.ValidIdNumber, name = "次仁卓玛", phone = "13800000000" },
            fields = new Dictionary<string, string> { ["名称"] = "阿里高原牧家小卖部", ["经营场所"] = "狮泉河镇" },
        })).GetProperty("id").GetString()!;
        foreach (var code in new[] { "M01", "M02", "M03" })
        {
            Assert.Equal(HttpStatusCode.OK, (await applicant.ProvideAsync(id, code, Api.Pdf())).StatusCode);
        }
        var submit = await applicant.PostAsync($"/api/applications/{id}/submit", null);
        Assert.Equal(HttpStatusCode.Accepted, submit.StatusCode);
        var caseNumber = (await submit.JsonAsync()).GetProperty("caseNumber").GetString()!;
        await IntakeFlowTests.WaitForAsync(applicant, id, a => a.GetProperty("status").GetString() == "pending-acceptance");
        var task = await CaseLifecycleTests.TaskOfCaseAsync(reviewer, caseNumber, "acceptance");
        Assert.Equal(HttpStatusCode.OK, (await reviewer.PostAsJsonAsync($"/api/tasks/{task}/complete", new { outcome = "accept-and-approve", opinion = "准予登记" })).StatusCode);
        return (id, caseNumber);
    }

    /// <summary>
    /// Letters only: the published text stars every run of seven or more digits, so a marker cut from a GUID
    /// (all digits now and then) would be masked and never found.
    /// </summary>
    private static string Marker() => string.Concat(Guid.NewGuid().ToString("N")[..10].Select(c => (char)('a' + Convert.ToInt32(c.ToString(), 16))));

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, string what) where T : class
    {
        // Usually the writing request copies the review at once; when that copy fails (a busy store), the case
        // outbox relay finishes it within about two minutes (grace plus its timer), which is still correct.
        var deadline = DateTime.UtcNow.AddSeconds(150);
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }
            Assert.True(DateTime.UtcNow < deadline, what);
            await Task.Delay(200);
        }
    }

    private async Task<List<JsonElement>> PublicReviewsOfItemAsync() =>
        (await (await host.Http.GetAsync($"/api/catalog/items/{Item}/evaluations?pageSize=100")).JsonAsync()).GetProperty("items").EnumerateArray().ToList();

    [Fact]
    public async Task A_bad_review_opens_a_rectification_whose_reply_the_applicant_reads_and_the_public_sees_it_masked()
    {
        var applicant = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        var reviewer = await host.ClientAsAsync("reviewer", $"scjgj-{Guid.NewGuid():N}", Department);
        var (id, caseNumber) = await CompletedCaseAsync(applicant, reviewer);
        var marker = Marker();

        var given = await applicant.PostAsJsonAsync($"/api/applications/{id}/evaluation", new { satisfaction = 5, indicators = Online, text = $"{marker} 窗口电话13912345678一直没人接" });
        Assert.Equal(HttpStatusCode.Created, given.StatusCode);
        Assert.Equal($"/api/applications/{id}/evaluation", given.Headers.Location?.OriginalString);
        var review = await given.JsonAsync();
        Assert.Equal("standing", review.GetProperty("status").GetString());
        Assert.Equal("open", review.GetProperty("rectification").GetProperty("state").GetString());
        var taskId = review.GetProperty("rectification").GetProperty("taskId").GetString()!;

        var again = await applicant.PostAsJsonAsync($"/api/applications/{id}/evaluation", new { satisfaction = 1, indicators = Online.ToDictionary(p => p.Key, _ => 1) });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.EndsWith(":already-evaluated", (await again.JsonAsync()).GetProperty("type").GetString(), StringComparison.Ordinal);

        // The department finds it in its worklist and replies.
        Assert.Equal(taskId, await CaseLifecycleTests.TaskOfCaseAsync(reviewer, caseNumber, "rectification"));
        var seen = await (await reviewer.GetAsync($"/api/tasks/{taskId}")).JsonAsync();
        Assert.Equal(5, seen.GetProperty("case").GetProperty("evaluation").GetProperty("satisfaction").GetInt32());
        var replied = await reviewer.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { outcome = "rectified", opinion = "已核实，已增设咨询电话专人接听，向您致歉。" });
        Assert.Equal(HttpStatusCode.OK, replied.StatusCode);

        var read = await (await applicant.GetAsync($"/api/applications/{id}/evaluation")).JsonAsync();
        Assert.Equal("replied", read.GetProperty("rectification").GetProperty("state").GetString());
        Assert.Equal("已核实，已增设咨询电话专人接听，向您致歉。", read.GetProperty("rectification").GetProperty("reply").GetString());
        var told = await EventuallyAsync(async () =>
        {
            var inbox = await (await applicant.GetAsync("/api/me/notifications")).JsonAsync();
            return inbox.GetProperty("items").EnumerateArray().Where(n => n.GetProperty("event").GetString() == "rectification-replied").Select(n => (JsonElement?)n).FirstOrDefault() is { } n ? n.ToString() : null;
        }, "The applicant was not told of the reply.");
        Assert.Contains("已增设咨询电话专人接听", told, StringComparison.Ordinal);

        // The public sees the review without the case, the applicant or the phone.
        var published = await EventuallyAsync(async () => (await PublicReviewsOfItemAsync()).Where(r => r.TryGetProperty("text", out var t) && t.GetString()!.StartsWith(marker, StringComparison.Ordinal)).Select(r => r.ToString()).FirstOrDefault(), "The review was not published.");
        Assert.Contains("139****5678", published, StringComparison.Ordinal);
        Assert.DoesNotContain("13912345678", published, StringComparison.Ordinal);
        Assert.DoesNotContain(caseNumber, published, StringComparison.Ordinal);
        Assert.DoesNotContain(id, published, StringComparison.Ordinal);
        var byDepartment = await (await host.Http.GetAsync($"/api/departments/{Department}/evaluations?pageSize=100")).JsonAsync();
        Assert.Contains(byDepartment.GetProperty("items").EnumerateArray(), r => r.TryGetProperty("text", out var t) && t.GetString()!.StartsWith(marker, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_appeal_upheld_by_a_supervisor_voids_the_review_and_takes_it_off_the_public_list()
    {
        var applicant = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        var reviewer = await host.ClientAsAsync("reviewer", $"scjgj-{Guid.NewGuid():N}", Department);
        var supervisor = await host.ClientAsAsync("supervisor", $"sup-{Guid.NewGuid():N}");
        var (id, caseNumber) = await CompletedCaseAsync(applicant, reviewer);
        var marker = Marker();
        Assert.Equal(HttpStatusCode.Created, (await applicant.PostAsJsonAsync($"/api/applications/{id}/evaluation", new { satisfaction = 4, indicators = Online, text = $"{marker} 评价的其实是别的部门" })).StatusCode);
        await EventuallyAsync(async () => (await PublicReviewsOfItemAsync()).Any(r => r.TryGetProperty("text", out var t) && t.GetString()!.StartsWith(marker, StringComparison.Ordinal)) ? "" : null, "The review was not published.");

        var appeal = await reviewer.PostAsJsonAsync($"/api/cases/{caseNumber}/evaluation/appeal", new { reason = "申请人评价的是其他部门窗口的服务" });
        Assert.Equal(HttpStatusCode.Created, appeal.StatusCode);
        Assert.Equal("appealed", (await appeal.JsonAsync()).GetProperty("status").GetString());
        // Supervisors are told in their shared inbox.
        await EventuallyAsync(async () => (await (await supervisor.GetAsync("/api/me/notifications?pageSize=100")).JsonAsync()).GetProperty("items").EnumerateArray()
            .Any(n => n.GetProperty("event").GetString() == "evaluation-appealed" && n.ToString().Contains(caseNumber, StringComparison.Ordinal)) ? "" : null, "Supervisors were not told.");

        var waiting = await (await supervisor.GetAsync("/api/supervision/appeals?pageSize=100")).JsonAsync();
        Assert.Contains(waiting.GetProperty("items").EnumerateArray(), r => r.GetProperty("caseNumber").GetString() == caseNumber);
        var decided = await supervisor.PostAsJsonAsync($"/api/cases/{caseNumber}/evaluation/appeal/decision", new { outcome = "upheld", opinion = "经核实，评价对象有误" });
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        var voided = await decided.JsonAsync();
        Assert.Equal("voided", voided.GetProperty("status").GetString());
        Assert.Equal("cancelled", voided.GetProperty("rectification").GetProperty("state").GetString());

        var read = await (await applicant.GetAsync($"/api/applications/{id}/evaluation")).JsonAsync();
        Assert.Equal("voided", read.GetProperty("status").GetString());
        Assert.Equal("upheld", read.GetProperty("appeal").GetProperty("state").GetString());
        await EventuallyAsync(async () => (await PublicReviewsOfItemAsync()).Any(r => r.TryGetProperty("text", out var t) && t.GetString()!.StartsWith(marker, StringComparison.Ordinal)) ? null : "", "The voided review is still published.");
        var worklist = await (await reviewer.GetAsync("/api/worklist?kind=rectification&pageSize=100")).JsonAsync();
        Assert.DoesNotContain(worklist.GetProperty("items").EnumerateArray(), t => t.GetProperty("caseNumber").GetString() == caseNumber);
        var after = await (await supervisor.GetAsync("/api/supervision/appeals?pageSize=100")).JsonAsync();
        Assert.DoesNotContain(after.GetProperty("items").EnumerateArray(), r => r.GetProperty("caseNumber").GetString() == caseNumber);
        var twice = await supervisor.PostAsJsonAsync($"/api/cases/{caseNumber}/evaluation/appeal/decision", new { outcome = "rejected", opinion = "再议" });
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        var audit = await (await supervisor.GetAsync($"/api/cases/{caseNumber}/audit?pageSize=500")).JsonAsync();
        var actions = audit.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("action").GetString()).ToList();
        Assert.Contains("evaluation.give", actions);
        Assert.Contains("evaluation.appeal", actions);
        Assert.Contains("evaluation.appeal-decide", actions);
        Assert.True(audit.GetProperty("verification").GetProperty("valid").GetBoolean());
    }
}
