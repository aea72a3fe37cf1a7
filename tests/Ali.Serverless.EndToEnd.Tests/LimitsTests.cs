using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ali.Serverless.EndToEnd.Tests;

/// <summary>Limits over HTTP (decision 15), on a host whose limits are set low: 429 with Retry-After, and 422 naming a per-application limit.</summary>
public sealed class LimitsTests(LimitedLocalHostProcess host) : IClassFixture<LimitedLocalHostProcess>
{
    [Fact]
    public async Task TenParallelOpensByOneApplicant_ExactlyTheLimitSucceeds_TheRestAre429WithRetryAfter()
    {
        var citizen = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => citizen.PostAsJsonAsync("/api/applications", Api.Application())));

        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        var refused = responses.Where(r => r.StatusCode != HttpStatusCode.Created).ToList();
        Assert.Equal(7, refused.Count);
        foreach (var response in refused)
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var retryAfter = response.Headers.RetryAfter?.Delta;
            Assert.NotNull(retryAfter);
            Assert.InRange(retryAfter.Value.TotalSeconds, 1, 3600);
            var problem = await response.JsonAsync();
            Assert.Equal("urn:ali-serverless:problem:rate-limited", problem.GetProperty("type").GetString());
            Assert.Equal("open-application", problem.GetProperty("limit").GetString());
            Assert.Equal(3, problem.GetProperty("limitValue").GetInt32());
        }
        // Nothing was stored for the refused ones.
        var list = await (await citizen.GetAsync("/api/applications")).JsonAsync();
        Assert.Equal(3, list.GetProperty("items").GetArrayLength());

        // Another account has its own allowance.
        var neighbour = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        await neighbour.OpenAsync();
    }

    [Fact]
    public async Task WindowClerks_AreLimitedOneByOne_NotByHall()
    {
        var hall = "542521-ZWFWZX";
        var first = await host.ClientAsAsync("window-clerk", $"clerk-{Guid.NewGuid():N}", hall);
        var second = await host.ClientAsAsync("window-clerk", $"clerk-{Guid.NewGuid():N}", hall);
        var body = Api.Application(channel: "window");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await first.PostAsJsonAsync("/api/applications", body)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await first.PostAsJsonAsync("/api/applications", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await second.PostAsJsonAsync("/api/applications", body)).StatusCode);
    }

    [Fact]
    public async Task ActionsThatTextTheApplicant_AreLimited()
    {
        var citizen = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        var draft = await citizen.OpenAsync();
        var id = draft.GetProperty("id").GetString();

        // A draft cannot be submitted yet (422), but each try counts: it would text the applicant if it passed.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await citizen.PostAsync($"/api/applications/{id}/submit", null)).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await citizen.PostAsync($"/api/applications/{id}/submit", null)).StatusCode);
        var limited = await citizen.PostAsync($"/api/applications/{id}/withdraw", null);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("sms-actions", (await limited.JsonAsync()).GetProperty("limit").GetString());
        Assert.Equal("draft", (await (await citizen.GetAsync($"/api/applications/{id}")).JsonAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task DeclarationsBeyondThePerApplicationLimit_Are422NamingTheLimit_AndChangeNothing()
    {
        var citizen = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        var id = (await citizen.OpenAsync()).GetProperty("id").GetString();
        var pdf = Api.Pdf();
        object Declaration(string name) => new { materialCode = "M01", fileName = name, contentType = "application/pdf", sizeBytes = pdf.Length, sha256 = Api.Sha256(pdf) };

        Assert.Equal(HttpStatusCode.Created, (await citizen.PostAsJsonAsync($"/api/applications/{id}/materials", Declaration("a.pdf"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await citizen.PostAsJsonAsync($"/api/applications/{id}/materials", Declaration("b.pdf"))).StatusCode);
        var refused = await citizen.PostAsJsonAsync($"/api/applications/{id}/materials", Declaration("c.pdf"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var problem = await refused.JsonAsync();
        Assert.Equal("urn:ali-serverless:problem:application-limit-reached", problem.GetProperty("type").GetString());
        Assert.Equal("declarations-per-application", problem.GetProperty("limit").GetString());
        Assert.Equal(2, problem.GetProperty("limitValue").GetInt32());
        var materials = (await (await citizen.GetAsync($"/api/applications/{id}")).JsonAsync()).GetProperty("materials");
        Assert.Equal("b.pdf", materials.EnumerateArray().Single().GetProperty("fileName").GetString());
    }
}
