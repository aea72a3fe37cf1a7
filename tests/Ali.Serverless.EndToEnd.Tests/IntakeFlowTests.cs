using System.Net;
using System.Text.Json;

namespace Ali.Serverless.EndToEnd.Tests;

/// <summary>The whole intake as a portal user does it, over HTTP, with a real upload to Blob Storage.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class IntakeFlowTests(LocalHostProcess host)
{
    [Fact]
    public async Task OpenUploadCompleteSubmit_GivesACaseNumber_AndTheReviewQueueReceivesIt()
    {
        var citizen = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");

        var opened = await citizen.OpenAsync();
        var id = opened.GetProperty("id").GetString()!;
        Assert.Equal("draft", opened.GetProperty("status").GetString());
        Assert.Equal("1101**********002X", opened.GetProperty("applicant").GetProperty("documentNumber").GetString());

        var idCard = Api.Pdf();
        var completedIdCard = await citizen.ProvideAsync(id, "M01", idCard);
        Assert.Equal(HttpStatusCode.OK, completedIdCard.StatusCode);
        var photo = await citizen.ProvideAsync(id, "M02", Api.Jpeg(), "image/jpeg");
        Assert.Equal(HttpStatusCode.OK, photo.StatusCode);

        var submit = await citizen.PostAsync($"/api/applications/{id}/submit", null);
        var submitted = await submit.JsonAsync();

        Assert.Equal(HttpStatusCode.Accepted, submit.StatusCode);
        Assert.Equal($"/api/applications/{id}", submit.Headers.Location?.OriginalString);
        Assert.Equal("submitted", submitted.GetProperty("status").GetString());
        Assert.Matches(@"^542500-\d{8}-[0-9A-F]{10}$", submitted.GetProperty("caseNumber").GetString());
        Assert.All(submitted.GetProperty("materials").EnumerateArray(), m => Assert.Equal("verified", m.GetProperty("status").GetString()));

        // The queue-triggered function records receipt once the message arrives.
        var received = await WaitForAsync(citizen, id, a => a.TryGetProperty("reviewReceivedAt", out _));
        Assert.Equal(submitted.GetProperty("caseNumber").GetString(), received.GetProperty("caseNumber").GetString());
    }

    [Fact]
    public async Task WindowClerk_OpensOnBehalfOfAnApplicant_InTheHallsPartition()
    {
        var clerk = await host.ClientAsAsync("window-clerk", "clerk-1", "542521-HALL");
        var colleague = await host.ClientAsAsync("window-clerk", "clerk-2", "542521-HALL");
        var otherHall = await host.ClientAsAsync("window-clerk", "clerk-3", "542523-HALL");

        var opened = await clerk.OpenAsync(Api.Application(channel: "window"));
        var id = opened.GetProperty("id").GetString();

        Assert.Equal("window", opened.GetProperty("channel").GetString());
        Assert.Equal(HttpStatusCode.OK, (await colleague.GetAsync($"/api/applications/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherHall.GetAsync($"/api/applications/{id}")).StatusCode);
    }

    [Fact]
    public async Task List_IsTheCallersOwn_NewestFirst_PagedByContinuationToken()
    {
        var citizen = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        var other = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await citizen.OpenAsync()).GetProperty("id").GetString()!);
        }
        await other.OpenAsync();

        var page1 = await (await citizen.GetAsync("/api/applications?pageSize=2")).JsonAsync();
        var token = page1.GetProperty("continuationToken").GetString();
        var page2 = await (await citizen.GetAsync($"/api/applications?pageSize=2&continuationToken={Uri.EscapeDataString(token!)}")).JsonAsync();

        var listed = page1.GetProperty("items").EnumerateArray().Concat(page2.GetProperty("items").EnumerateArray())
            .Select(a => a.GetProperty("id").GetString()!).ToList();
        ids.Reverse();
        Assert.Equal(ids, listed);
        Assert.False(page2.TryGetProperty("continuationToken", out _));
    }

    [Fact]
    public async Task OpenWithIdempotencyKey_Retried_ReturnsTheFirstApplication_AndAReusedKeyIsRefused()
    {
        var citizen = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        var key = Guid.NewGuid().ToString();

        async Task<HttpResponseMessage> PostAsync(object body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/applications") { Content = JsonContent(body) };
            request.Headers.Add("Idempotency-Key", key);
            return await citizen.SendAsync(request);
        }

        var first = await PostAsync(Api.Application());
        var retry = await PostAsync(Api.Application());
        var reused = await PostAsync(Api.Application(idNumber: "53010219200508011X"));
        var list = await (await citizen.GetAsync("/api/applications")).JsonAsync();

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal((await first.JsonAsync()).GetProperty("id").GetString(), (await retry.JsonAsync()).GetProperty("id").GetString());
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Single(list.GetProperty("items").EnumerateArray());
    }

    internal static HttpContent JsonContent(object body) =>
        new StringContent(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    internal static async Task<JsonElement> WaitForAsync(HttpClient client, string id, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement application;
        do
        {
            application = await (await client.GetAsync($"/api/applications/{id}")).JsonAsync();
            if (condition(application))
            {
                return application;
            }
            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail($"Application {id} did not reach the expected state in 30 s: {application}");
        return application;
    }
}
