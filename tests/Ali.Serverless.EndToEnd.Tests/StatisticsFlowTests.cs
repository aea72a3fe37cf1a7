using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ali.Serverless.EndToEnd.Tests;

/// <summary>
/// Statistics over HTTP (decision 18): cases made through the API, the month computed on an operator's request, and
/// read back by a supervisor, by the public (small cells withheld) and as CSV. 日土县's 失业登记 is used by no other
/// test, so its figures are this test's alone.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class StatisticsFlowTests(LocalHostProcess host)
{
    private const string Item = "542524-RSJ-20001";
    private const string Department = "542524-RSJ";
    private const string County = "542524";

    private static object Person() => new
    {
        itemCode = Item,
        channel = "web",
        applicant = new { kind = "natural-person", documentNumber = Api.ValidIdNumber, name = "次仁卓玛", phone = "13800000000" },
    };

    private async Task<(string Id, string CaseNumber)> SubmitAsync(HttpClient applicant)
    {
        var id = (await applicant.OpenAsync(Person())).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await applicant.ProvideAsync(id, "M01", Api.Pdf())).StatusCode);
        var submit = await applicant.PostAsync($"/api/applications/{id}/submit", null);
        Assert.Equal(HttpStatusCode.Accepted, submit.StatusCode);
        var caseNumber = (await submit.JsonAsync()).GetProperty("caseNumber").GetString()!;
        await IntakeFlowTests.WaitForAsync(applicant, id, a => a.GetProperty("status").GetString() == "pending-acceptance");
        return (id, caseNumber);
    }

    private static JsonElement Row(JsonElement report) => report.GetProperty("departments").EnumerateArray().Single(d => d.GetProperty("departmentCode").GetString() == Department).GetProperty("figures");

    [Fact]
    public async Task CasesBecomeFigures_ForSupervisors_ThePublic_AndCsv_AndRecomputingChangesNothing()
    {
        var period = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var applicant = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        var reviewer = await host.ClientAsAsync("reviewer", "rituo-rsj-reviewer", Department);
        var operatorClient = await host.ClientAsAsync("operator", "ops-1");
        var supervisor = await host.ClientAsAsync("supervisor", "supervisor-stats");

        // Two cases received on the web: one handled on the spot (即办件), one still waiting for acceptance.
        var (_, handled) = await SubmitAsync(applicant);
        await SubmitAsync(applicant);
        var task = await CaseLifecycleTests.TaskOfCaseAsync(reviewer, handled, "acceptance");
        Assert.Equal(HttpStatusCode.OK, (await reviewer.PostAsJsonAsync($"/api/tasks/{task}/complete", new { outcome = "accept-and-approve" })).StatusCode);

        // Not computed on a request: the operator computes the month (the hourly timer does the same).
        var computed = await operatorClient.PostAsJsonAsync("/api/statistics/recompute", new { period });
        Assert.Equal(HttpStatusCode.OK, computed.StatusCode);
        Assert.Equal(period, (await computed.JsonAsync()).GetProperty("period").GetString());

        var full = await supervisor.GetAsync($"/api/statistics?period={period}&department={Department}");
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        var report = await full.JsonAsync();
        var f = Row(report);
        Assert.Equal((1, 1, 1.0, true), (f.GetProperty("items").GetInt32(), f.GetProperty("onlineCapableItems").GetInt32(), f.GetProperty("onlineCapableRate").GetDouble(), f.GetProperty("onlineCapableTargetMet").GetBoolean()));
        Assert.Equal((2, 2, 0), (f.GetProperty("received").GetInt32(), f.GetProperty("receivedWeb").GetInt32(), f.GetProperty("receivedWindow").GetInt32()));
        Assert.Equal((1, 1, 1.0), (f.GetProperty("acceptanceDecided").GetInt32(), f.GetProperty("accepted").GetInt32(), f.GetProperty("acceptanceRate").GetDouble()));
        Assert.Equal((1, 1, 1.0, 1.0, 0.0), (f.GetProperty("completed").GetInt32(), f.GetProperty("onTimePromised").GetInt32(),
            f.GetProperty("onTimePromisedRate").GetDouble(), f.GetProperty("onTimeLegalRate").GetDouble(), f.GetProperty("averageWorkingDaysToCompletion").GetDouble()));
        Assert.Equal(2, report.GetProperty("total").GetProperty("figures").GetProperty("received").GetInt32());
        Assert.Equal(County, report.GetProperty("counties")[0].GetProperty("divisionCode").GetString());
        // The review store is registered in the host: reviews are counted (none for this department yet), not unknown.
        Assert.True(report.GetProperty("reviewsCounted").GetBoolean());
        Assert.Equal(0, f.GetProperty("reviews").GetInt32());

        // The public: the same month, aggregates only, every small cell withheld as an explicit null, and said so.
        var published = await host.Http.GetAsync($"/api/statistics/public?period={period}&county={County}");
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        var publicText = await published.Content.ReadAsStringAsync();
        var publicReport = JsonDocument.Parse(publicText).RootElement;
        var p = Row(publicReport);
        Assert.Equal(JsonValueKind.Null, p.GetProperty("received").ValueKind);
        Assert.Equal(JsonValueKind.Null, p.GetProperty("onTimePromisedRate").ValueKind);
        Assert.Equal(JsonValueKind.Null, p.GetProperty("averageWorkingDaysToCompletion").ValueKind);
        Assert.Equal(1, p.GetProperty("items").GetInt32());
        Assert.Equal(5, publicReport.GetProperty("suppression").GetProperty("minimumCount").GetInt32());
        Assert.DoesNotContain(Api.ValidIdNumber, publicText);
        Assert.DoesNotContain("次仁卓玛", publicText);
        Assert.DoesNotContain(handled, publicText);

        // CSV for the spreadsheet: an attachment named for the month, the department's line with its figures.
        var csv = await supervisor.GetAsync($"/api/statistics?period={period}&county={County}&format=csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", csv.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"ali-statistics-{period}.csv", csv.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(',')).ToList();
        var header = lines[0];
        var line = lines.Single(l => l[2] == Department);
        Assert.Equal(("2", "1", "1"), (line[Array.IndexOf(header, "received")], line[Array.IndexOf(header, "completed")], line[Array.IndexOf(header, "onTimePromisedRate")]));
        var publicCsv = await host.Http.GetAsync($"/api/statistics/public?period={period}&county={County}&format=csv");
        Assert.Equal($"ali-statistics-public-{period}.csv", publicCsv.Content.Headers.ContentDisposition?.FileName?.Trim('"'));

        // Computing the month again gives the same figures.
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostAsJsonAsync("/api/statistics/recompute", new { period })).StatusCode);
        var again = Row(await (await supervisor.GetAsync($"/api/statistics?period={period}&department={Department}")).JsonAsync());
        Assert.Equal(f.ToString(), again.ToString());
    }

    /// <summary>
    /// A bad review counts in its department's month until a supervisor upholds the department's appeal (申诉复核);
    /// then the month computed again leaves it out. 普兰县's 边境管理区通行证 is used by no other end-to-end test.
    /// </summary>
    [Fact]
    public async Task ABadReviewCounts_UntilAnUpheldAppealVoidsIt()
    {
        const string item = "542521-GAJ-01001";
        const string department = "542521-GAJ";
        var period = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var applicant = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        var reviewer = await host.ClientAsAsync("reviewer", "pulan-gaj-reviewer", department);
        var operatorClient = await host.ClientAsAsync("operator", "ops-1");
        var supervisor = await host.ClientAsAsync("supervisor", "supervisor-stats");

        var id = (await applicant.OpenAsync(new
        {
            itemCode = item,
            channel = "web",
            applicant = new { kind = "natural-person", documentNumber = Api.ValidIdNumber, name = "次仁卓玛", phone = "13800000000" },
        })).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await applicant.ProvideAsync(id, "M01", Api.Pdf())).StatusCode);
        var submit = await applicant.PostAsync($"/api/applications/{id}/submit", null);
        Assert.Equal(HttpStatusCode.Accepted, submit.StatusCode);
        var caseNumber = (await submit.JsonAsync()).GetProperty("caseNumber").GetString()!;
        await IntakeFlowTests.WaitForAsync(applicant, id, a => a.GetProperty("status").GetString() == "pending-acceptance");
        var task = await CaseLifecycleTests.TaskOfCaseAsync(reviewer, caseNumber, "acceptance");
        Assert.Equal(HttpStatusCode.OK, (await reviewer.PostAsJsonAsync($"/api/tasks/{task}/complete", new { outcome = "accept-and-approve" })).StatusCode);
        var indicators = new Dictionary<string, int> { ["efficiency"] = 5, ["guideAccuracy"] = 5, ["convenience"] = 4, ["operability"] = 5 };
        Assert.Equal(HttpStatusCode.Created, (await applicant.PostAsJsonAsync($"/api/applications/{id}/evaluation", new { satisfaction = 5, indicators })).StatusCode);

        // The review reaches the review store through the case's outbox; each recompute reads what is there.
        async Task<JsonElement> FiguresAsync()
        {
            Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostAsJsonAsync("/api/statistics/recompute", new { period })).StatusCode);
            var report = await (await supervisor.GetAsync($"/api/statistics?period={period}&department={department}")).JsonAsync();
            return report.GetProperty("departments").EnumerateArray().Single(d => d.GetProperty("departmentCode").GetString() == department).GetProperty("figures");
        }

        async Task<JsonElement> EventuallyAsync(Func<JsonElement, bool> until, string what)
        {
            // As in EvaluationFlowTests: the relay may be the one to copy the review, within about two minutes.
            var deadline = DateTime.UtcNow.AddSeconds(150);
            while (true)
            {
                var figures = await FiguresAsync();
                if (until(figures))
                {
                    return figures;
                }
                Assert.True(DateTime.UtcNow < deadline, $"{what}: {figures}");
                await Task.Delay(300);
            }
        }

        var counted = await EventuallyAsync(f => f.GetProperty("reviews").GetInt32() == 1, "The bad review was not counted");
        Assert.Equal((1, 1.0), (counted.GetProperty("badReviews").GetInt32(), counted.GetProperty("badReviewRate").GetDouble()));

        Assert.Equal(HttpStatusCode.Created, (await reviewer.PostAsJsonAsync($"/api/cases/{caseNumber}/evaluation/appeal", new { reason = "评价的是其他县的窗口" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await supervisor.PostAsJsonAsync($"/api/cases/{caseNumber}/evaluation/appeal/decision", new { outcome = "upheld", opinion = "经核实，评价对象有误" })).StatusCode);

        var voided = await EventuallyAsync(f => f.GetProperty("reviews").GetInt32() == 0, "The voided review still counts");
        Assert.Equal(0, voided.GetProperty("badReviews").GetInt32());
        Assert.Equal(JsonValueKind.Null, voided.GetProperty("badReviewRate").ValueKind);
        Assert.Equal(1, voided.GetProperty("completed").GetInt32());
    }
}
