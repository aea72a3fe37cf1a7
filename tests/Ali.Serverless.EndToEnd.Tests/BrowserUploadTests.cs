using System.Net;

namespace Ali.Serverless.EndToEnd.Tests;

/// <summary>What a portal running in a browser on another local origin needs: CORS on the API and on Blob Storage.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class BrowserUploadTests(LocalHostProcess host)
{
    private const string PortalOrigin = "http://localhost:5173";

    [Fact]
    public async Task ApiPreflight_FromAPortalOrigin_IsAllowed_AndExposesLocation()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/applications");
        preflight.Headers.Add("Origin", PortalOrigin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,idempotency-key");

        var response = await host.Http.SendAsync(preflight);

        Assert.True(response.IsSuccessStatusCode, response.StatusCode.ToString());
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task UploadUrlPreflight_FromAPortalOrigin_AllowsThePut()
    {
        var citizen = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        var id = (await citizen.OpenAsync()).GetProperty("id").GetString()!;
        var declared = await (await citizen.DeclareAsync(id, "M01", Api.Pdf())).JsonAsync();

        using var preflight = new HttpRequestMessage(HttpMethod.Options, declared.GetProperty("upload").GetProperty("url").GetString());
        preflight.Headers.Add("Origin", PortalOrigin);
        preflight.Headers.Add("Access-Control-Request-Method", "PUT");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type,x-ms-blob-type");
        using var browser = new HttpClient();
        var response = await browser.SendAsync(preflight);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("PUT", response.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
    }
}
