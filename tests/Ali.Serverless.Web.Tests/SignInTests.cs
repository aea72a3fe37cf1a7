using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Web;
using Microsoft.Playwright;

namespace Ali.Serverless.Web.Tests;

/// <summary>
/// Sign-in as in Azure: OpenID Connect, authorization code with PKCE, from the configuration served to the
/// page. The identity provider is played by the test through request routing.
/// </summary>
[Collection(WebHostCollection.Name)]
public sealed class SignInTests(WebHost host, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Issuer = "https://login.example.test/tenant";

    [Fact]
    public async Task OidcSignIn_SendsAnS256Challenge_TradesTheCodeWithItsVerifier_AndNoSecret()
    {
        // The token the provider hands out: one the local host accepts, for an applicant.
        var minted = await host.Host.Http.PostAsJsonAsync("/api/dev/token", new { role = "applicant", subject = $"oidc-{Guid.NewGuid():N}" });
        var accessToken = (await minted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        var context = await browser.Browser.NewContextAsync(new() { BaseURL = host.BaseUrl });
        context.SetDefaultTimeout(20_000);
        var cors = new Dictionary<string, string> { ["access-control-allow-origin"] = "*", ["content-type"] = "application/json" };
        Dictionary<string, string?> authorize = [];
        Dictionary<string, string?> token = [];
        await context.RouteAsync("**/config.json", route => route.FulfillAsync(new()
        {
            ContentType = "application/json",
            Body = JsonSerializer.Serialize(new { apiBase = "/api", signIn = "oidc", issuer = Issuer, clientId = "ali-portal", scopes = "openid api://ali-serverless/access" }),
        }));
        await context.RouteAsync($"{Issuer}/**", async route =>
        {
            var url = new Uri(route.Request.Url);
            switch (url.AbsolutePath)
            {
                case "/tenant/.well-known/openid-configuration":
                    await route.FulfillAsync(new() { Headers = cors, Body = JsonSerializer.Serialize(new { issuer = Issuer, authorization_endpoint = $"{Issuer}/authorize", token_endpoint = $"{Issuer}/token" }) });
                    break;
                case "/tenant/authorize":
                    var query = HttpUtility.ParseQueryString(url.Query);
                    authorize = query.AllKeys.ToDictionary(k => k!, k => query[k]);
                    await route.FulfillAsync(new() { Status = 302, Headers = new Dictionary<string, string> { ["location"] = $"{query["redirect_uri"]}?code=one-time-code&state={Uri.EscapeDataString(query["state"]!)}" } });
                    break;
                case "/tenant/token":
                    var form = HttpUtility.ParseQueryString(route.Request.PostData ?? "");
                    token = form.AllKeys.ToDictionary(k => k!, k => form[k]);
                    await route.FulfillAsync(new() { Headers = cors, Body = JsonSerializer.Serialize(new { access_token = accessToken, token_type = "Bearer", expires_in = 3600 }) });
                    break;
                default:
                    await route.FulfillAsync(new() { Status = 404 });
                    break;
            }
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/#/signin?next=%23%2Fmine");
        await page.Locator("button.primary").ClickAsync();

        await page.GetByTestId("who").WaitForAsync();
        await page.Locator("main h1").WaitForAsync();
        Assert.EndsWith("#/mine", page.Url, StringComparison.Ordinal);
        Assert.Equal("code", authorize["response_type"]);
        Assert.Equal("ali-portal", authorize["client_id"]);
        Assert.Equal("openid api://ali-serverless/access", authorize["scope"]);
        Assert.Equal("S256", authorize["code_challenge_method"]);
        Assert.Equal("authorization_code", token["grant_type"]);
        Assert.Equal("one-time-code", token["code"]);
        Assert.Equal(authorize["redirect_uri"], token["redirect_uri"]);
        var verifier = token["code_verifier"]!;
        Assert.InRange(verifier.Length, 43, 128);
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Equal(challenge, authorize["code_challenge"]);
        Assert.DoesNotContain("client_secret", token.Keys);
        // The page now calls the API with the provider's token: the applicant's (empty) list answers.
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("还没有申请");
        await page.ScreenshotAsync(nameof(OidcSignIn_SendsAnS256Challenge_TradesTheCodeWithItsVerifier_AndNoSecret));
        await context.CloseAsync();
    }
}
