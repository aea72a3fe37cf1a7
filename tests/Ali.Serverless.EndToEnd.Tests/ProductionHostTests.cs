using System.Net;
using System.Net.Http.Json;

namespace Ali.Serverless.EndToEnd.Tests;

/// <summary>Outside Development the token-minting route does not exist and tokens come from the identity provider.</summary>
public sealed class ProductionHostTests(ProductionLocalHostProcess host) : IClassFixture<ProductionLocalHostProcess>
{
    [Fact]
    public async Task DevTokenRoute_DoesNotExist()
    {
        var response = await host.Http.PostAsJsonAsync("/api/dev/token", new { role = "applicant", subject = "x" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task TheApiItselfIsServed()
    {
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("/api/health")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.GetAsync("/api/applications")).StatusCode);
    }
}
