using System.Net;
using System.Text.Json;

namespace Ali.Serverless.EndToEnd.Tests;

/// <summary>Material bytes are reached only through a short read link to the sealed copy, issued after the permission check and audited.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class MaterialReadLinkTests(LocalHostProcess host)
{
    private static readonly HttpClient Storage = new();

    [Fact]
    public async Task Department_with_a_task_and_the_applicant_read_the_sealed_bytes_others_get_404()
    {
        var companySubject = $"company-{Guid.NewGuid():N}";
        var company = await host.ClientAsAsync("applicant", companySubject);
        var otherApplicant = await host.ClientAsAsync("applicant", $"company-{Guid.NewGuid():N}");
        var lead = await host.ClientAsAsync("reviewer", "fgw-reviewer", CaseLifecycleTests.LeadDepartment);
        var stranger = await host.ClientAsAsync("reviewer", "jyj-reviewer", "542500-JYJ");
        var supervisor = await host.ClientAsAsync("supervisor", "sup-1");

        var opened = await company.OpenAsync(new
        {
            itemCode = CaseLifecycleTests.ProjectItem,
            channel = "web",
            applicant = new { kind = "legal-person", documentNumber = CaseLifecycleTests.CreditCode, name = "阿里高原能源有限公司", phone = "13900000000" },
        });
        var id = opened.GetProperty("id").GetString()!;
        var m01 = Api.Pdf();
        Assert.Equal(HttpStatusCode.OK, (await company.ProvideAsync(id, "M01", m01)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await company.ProvideAsync(id, "M02", Api.Pdf())).StatusCode);
        var caseNumber = (await (await company.PostAsync($"/api/applications/{id}/submit", null)).JsonAsync()).GetProperty("caseNumber").GetString()!;
        await IntakeFlowTests.WaitForAsync(company, id, a => a.GetProperty("status").GetString() == "pending-acceptance");

        // The department with the acceptance task finds the material's id in the case, and reads it.
        var asStaff = await (await lead.GetAsync($"/api/cases/{caseNumber}")).JsonAsync();
        var materialId = asStaff.GetProperty("materials").EnumerateArray().Single(m => m.GetProperty("materialCode").GetString() == "M01").GetProperty("id").GetString()!;
        var staffLink = await lead.PostAsync($"/api/cases/{caseNumber}/materials/{materialId}/read-link", null);
        Assert.Equal(HttpStatusCode.OK, staffLink.StatusCode);
        var link = await staffLink.JsonAsync();
        Assert.Equal(m01, await ReadAsync(link));
        Assert.Equal(Api.Sha256(m01), link.GetProperty("sha256").GetString());
        Assert.InRange(link.GetProperty("expiresAt").GetDateTimeOffset() - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(6));

        // The applicant reads their own.
        var ownLink = await company.PostAsync($"/api/applications/{id}/materials/{materialId}/read-link", null);
        Assert.Equal(HttpStatusCode.OK, ownLink.StatusCode);
        Assert.Equal(m01, await ReadAsync(await ownLink.JsonAsync()));

        // Nobody else: another department's reviewer, another applicant, a supervisor (no task), by either route.
        await AssertNotFoundAsync(await stranger.PostAsync($"/api/cases/{caseNumber}/materials/{materialId}/read-link", null));
        await AssertNotFoundAsync(await otherApplicant.PostAsync($"/api/applications/{id}/materials/{materialId}/read-link", null));
        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.PostAsync($"/api/cases/{caseNumber}/materials/{materialId}/read-link", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await company.PostAsync($"/api/cases/{caseNumber}/materials/{materialId}/read-link", null)).StatusCode);

        // The metadata route carries no way to the bytes.
        var metadata = await (await company.GetAsync($"/api/applications/{id}/materials/{materialId}")).JsonAsync();
        Assert.DoesNotContain("http", metadata.GetRawText(), StringComparison.OrdinalIgnoreCase);

        // The trail: the submission opens the case's chain; both issues are on it, the stranger's refusal is not.
        // Issued links are recorded behind the answer (decision 29): wait until both are on the chain.
        var trail = await AuditTrails.EventuallyAsync(supervisor, caseNumber,
            records => AuditTrails.Count(records, "material.read-link") >= 2, "both issued read links");
        Assert.True(trail.GetProperty("verification").GetProperty("valid").GetBoolean(), trail.ToString());
        var records = trail.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal("application.submit", records[0].GetProperty("action").GetString());
        var issues = records.Where(r => r.GetProperty("action").GetString() == "material.read-link").ToList();
        Assert.Equal(["fgw-reviewer", companySubject], issues.Select(r => r.GetProperty("actor").GetString()));
        Assert.All(issues, r => Assert.Equal(($"material:{materialId}", "success"), (r.GetProperty("object").GetString(), r.GetProperty("outcome").GetString())));
    }

    [Fact]
    public async Task An_unverified_material_has_no_link_409()
    {
        var citizen = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        var id = (await citizen.OpenAsync()).GetProperty("id").GetString()!;
        var declared = await (await citizen.DeclareAsync(id, "M01", Api.Pdf())).JsonAsync();
        var materialId = declared.GetProperty("material").GetProperty("id").GetString();

        var link = await citizen.PostAsync($"/api/applications/{id}/materials/{materialId}/read-link", null);

        Assert.Equal(HttpStatusCode.Conflict, link.StatusCode);
        Assert.Equal("application/problem+json", link.Content.Headers.ContentType?.MediaType);
        Assert.Equal("urn:ali-serverless:problem:material-not-verified", (await link.JsonAsync()).GetProperty("type").GetString());
    }

    private static async Task<byte[]> ReadAsync(JsonElement link)
    {
        Assert.Equal("GET", link.GetProperty("method").GetString());
        using var response = await Storage.GetAsync(link.GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("attachment;", response.Content.Headers.GetValues("Content-Disposition").Single(), StringComparison.Ordinal);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static async Task AssertNotFoundAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("url", (await response.JsonAsync()).GetRawText(), StringComparison.Ordinal);
    }
}
