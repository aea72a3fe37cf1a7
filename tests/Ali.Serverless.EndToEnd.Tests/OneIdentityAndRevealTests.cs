using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace Ali.Serverless.EndToEnd.Tests;

/// <summary>
/// Decision 13 over HTTP: a window application is linked to the applicant whose token carries the same
/// verified identity number (read only), answers mask, and full reads are explicit, refused to others,
/// and audited on the case's chain.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class OneIdentityAndRevealTests(LocalHostProcess host)
{
    private const string Hall = "542500-ZWFWZX";
    private const string Department = "542500-RSJ";

    /// <summary>A valid resident ID number no other test uses (GB 11643 check character), so links stay this test's own.</summary>
    private static string NewIdNumber()
    {
        var body = $"540102{1960 + RandomNumberGenerator.GetInt32(40)}0{1 + RandomNumberGenerator.GetInt32(9)}1{RandomNumberGenerator.GetInt32(10)}{RandomNumberGenerator.GetInt32(1000):D3}";
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = body.Select((c, i) => (c - '0') * weights[i]).Sum();
        return body + "10X98765432"[sum % 11];
    }

    private async Task<string> OpenedAtWindowAsync(HttpClient clerk, string number)
    {
        var opened = await clerk.OpenAsync(Api.Application(channel: "window", idNumber: number));
        return opened.GetProperty("id").GetString()!;
    }

    private static async Task<List<string>> ListedIdsAsync(HttpClient client) =>
        (await (await client.GetAsync("/api/applications")).JsonAsync()).GetProperty("items").EnumerateArray()
            .Select(a => a.GetProperty("id").GetString()!).ToList();

    [Fact]
    public async Task AVerifiedApplicant_ReadsTheWindowApplication_ButCannotActOnIt_AndWithoutTheClaimSeesNothing()
    {
        var number = NewIdNumber();
        var clerk = await host.ClientAsAsync("window-clerk", "clerk-1", Hall);
        var id = await OpenedAtWindowAsync(clerk, number);
        var verified = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}", identityNumber: number);
        var unverified = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        var someoneElse = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}", identityNumber: NewIdNumber());

        Assert.Contains(id, await ListedIdsAsync(verified));
        var read = await verified.GetAsync($"/api/applications/{id}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var applicant = (await read.JsonAsync()).GetProperty("applicant");
        Assert.Equal(number[..4] + new string('*', 10) + number[^4..], applicant.GetProperty("documentNumber").GetString());
        Assert.Equal("1390***0000", applicant.GetProperty("phone").GetString());
        Assert.Equal(HttpStatusCode.OK, (await verified.GetAsync($"/api/applications/{id}/notifications")).StatusCode);

        // Read only: the hall acts on it.
        Assert.Equal(HttpStatusCode.NotFound, (await verified.DeclareAsync(id, "M01", Api.Pdf())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await verified.PostAsync($"/api/applications/{id}/submit", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await verified.PostAsync($"/api/applications/{id}/withdraw", null)).StatusCode);
        Assert.Equal("draft", (await (await clerk.GetAsync($"/api/applications/{id}")).JsonAsync()).GetProperty("status").GetString());

        foreach (var other in new[] { unverified, someoneElse })
        {
            Assert.DoesNotContain(id, await ListedIdsAsync(other));
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/applications/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/applications/{id}/applicant")).StatusCode);
        }
    }

    [Fact]
    public async Task TheFullIdentity_IsForTheApplicantTheHallAndTheTasksDepartment_EachReadAudited()
    {
        var number = NewIdNumber();
        var clerk = await host.ClientAsAsync("window-clerk", "clerk-2", Hall);
        var otherHall = await host.ClientAsAsync("window-clerk", "clerk-9", "542521-ZWFWZX");
        var reviewer = await host.ClientAsAsync("reviewer", "rsj-reviewer", Department);
        var stranger = await host.ClientAsAsync("reviewer", "jyj-reviewer", "542500-JYJ");
        var supervisor = await host.ClientAsAsync("supervisor", "supervisor-1");
        var verified = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}", identityNumber: number);

        var id = await OpenedAtWindowAsync(clerk, number);
        Assert.Equal(HttpStatusCode.OK, (await clerk.ProvideAsync(id, "M01", Api.Pdf())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await clerk.ProvideAsync(id, "M02", Api.Jpeg(), "image/jpeg")).StatusCode);
        var submit = await clerk.PostAsync($"/api/applications/{id}/submit", null);
        Assert.Equal(HttpStatusCode.Accepted, submit.StatusCode);
        var caseNumber = (await submit.JsonAsync()).GetProperty("caseNumber").GetString()!;

        // The hall's clerk and the applicant (linked by the verified number) get it in full, never cached.
        var byClerk = await clerk.GetAsync($"/api/applications/{id}/applicant");
        Assert.Equal(HttpStatusCode.OK, byClerk.StatusCode);
        Assert.Equal("no-store", byClerk.Headers.CacheControl?.ToString());
        var full = await byClerk.JsonAsync();
        Assert.Equal(number, full.GetProperty("documentNumber").GetString());
        Assert.Equal("13900000000", full.GetProperty("phone").GetString());
        Assert.Equal(caseNumber, full.GetProperty("caseNumber").GetString());
        Assert.Equal(number, (await (await verified.GetAsync($"/api/applications/{id}/applicant")).JsonAsync()).GetProperty("documentNumber").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await otherHall.GetAsync($"/api/applications/{id}/applicant")).StatusCode);

        // The department with the acceptance task gets it through the task; another department does not.
        var task = await AcceptanceTaskAsync(reviewer, caseNumber);
        var byReviewer = await reviewer.GetAsync($"/api/tasks/{task}/applicant");
        Assert.Equal(HttpStatusCode.OK, byReviewer.StatusCode);
        Assert.Equal(number, (await byReviewer.JsonAsync()).GetProperty("documentNumber").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/tasks/{task}/applicant")).StatusCode);
        // Masked everywhere else.
        var taskView = await (await reviewer.GetAsync($"/api/tasks/{task}")).JsonAsync();
        Assert.DoesNotContain(number, taskView.ToString());

        // Three full reads on the case's chain, by who and through what; the trail verifies and holds no number.
        var audit = await (await supervisor.GetAsync($"/api/cases/{caseNumber}/audit?pageSize=500")).JsonAsync();
        var reveals = audit.GetProperty("records").EnumerateArray().Where(r => r.GetProperty("action").GetString() == "personal-data.reveal").ToList();
        Assert.Equal(
            new[] { ("clerk-2", $"application:{id}"), ("rsj-reviewer", $"task:{task}") },
            reveals.Where(r => r.GetProperty("role").GetString() != "applicant")
                .Select(r => (r.GetProperty("actor").GetString()!, r.GetProperty("object").GetString()!)).ToArray());
        Assert.Equal(3, reveals.Count);
        Assert.All(reveals, r => Assert.Equal("success", r.GetProperty("outcome").GetString()));
        Assert.True(audit.GetProperty("verification").GetProperty("valid").GetBoolean());
        Assert.DoesNotContain(number, audit.ToString());
    }

    private static async Task<string> AcceptanceTaskAsync(HttpClient reviewer, string caseNumber)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var page = await (await reviewer.GetAsync("/api/worklist?kind=acceptance&pageSize=100")).JsonAsync();
            var task = page.GetProperty("items").EnumerateArray().FirstOrDefault(t => t.GetProperty("caseNumber").GetString() == caseNumber);
            if (task.ValueKind == JsonValueKind.Object)
            {
                return task.GetProperty("id").GetString()!;
            }
            Assert.True(DateTime.UtcNow < deadline, $"No acceptance task for case {caseNumber}.");
            await Task.Delay(200);
        }
    }
}
