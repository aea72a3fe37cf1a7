using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Ali.Serverless.EndToEnd.Tests;

/// <summary>Who may see what, and a clear 4xx problem for every kind of bad input, with nothing stored.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class AccessAndBadInputTests(LocalHostProcess host)
{
    [Fact]
    public async Task AnApplicant_CannotReadOrChange_AnotherApplicantsApplication()
    {
        var owner = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        var stranger = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        var id = (await owner.OpenAsync()).GetProperty("id").GetString();

        var read = await stranger.GetAsync($"/api/applications/{id}");
        var declare = await stranger.DeclareAsync(id!, "M01", Api.Pdf());
        var submit = await stranger.PostAsync($"/api/applications/{id}/submit", null);
        var list = await (await stranger.GetAsync("/api/applications")).JsonAsync();

        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, declare.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, submit.StatusCode);
        Assert.Empty(list.GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/api/applications/{id}")).StatusCode);
    }

    [Fact]
    public async Task NoToken_Is401Problem_WithBearerChallenge()
    {
        var response = await host.Http.GetAsync("/api/applications");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task ForgedToken_Is401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/applications");
        request.Headers.Authorization = new("Bearer", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4Iiwicm9sZSI6ImFwcGxpY2FudCJ9.c2lnbmF0dXJl");

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.SendAsync(request)).StatusCode);
    }

    [Theory]
    [InlineData("{\"itemCode\": ", "body")]
    [InlineData("{\"itemCode\": 12, \"channel\": \"web\"}", "itemCode")]
    [InlineData("{\"itemCode\": \"542500-RSJ-20001\", \"channel\": \"web\", \"applicant\": {\"kind\": \"natural-person\", \"documentNumber\": \"110105194912310021\", \"name\": \"a\"}}", "applicant.documentNumber")]
    [InlineData("{\"itemCode\": \"542500-SCJGJ-01003\", \"channel\": \"web\", \"applicant\": {\"kind\": \"legal-person\", \"documentNumber\": \"91350100M000100Y44\", \"name\": \"a\"}}", "applicant.documentNumber")]
    [InlineData("{\"itemCode\": \"NO-SUCH-ITEM\", \"channel\": \"web\", \"applicant\": {\"kind\": \"natural-person\", \"documentNumber\": \"11010519491231002X\", \"name\": \"a\"}}", "itemCode")]
    [InlineData("{\"itemCode\": \"542500-GAC-20001\", \"channel\": \"web\", \"applicant\": {\"kind\": \"natural-person\", \"documentNumber\": \"11010519491231002X\", \"name\": \"a\"}}", "channel")]
    [InlineData("{\"channel\": \"web\"}", "itemCode")]
    public async Task Open_WithBadInput_Is400_NamingTheField_AndStoresNothing(string body, string field)
    {
        var citizen = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");

        var response = await citizen.PostAsync("/api/applications", new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(field, problem.ErrorFields());
        Assert.Empty((await (await citizen.GetAsync("/api/applications")).JsonAsync()).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Open_MissingEverything_NamesEveryMissingField()
    {
        var citizen = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");

        var response = await citizen.PostAsJsonAsync("/api/applications", new { applicant = new { } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            ["applicant.documentNumber", "applicant.kind", "applicant.name", "channel", "itemCode"],
            (await response.JsonAsync()).ErrorFields().Order());
    }

    [Fact]
    public async Task BodyOverTheLimit_Is413()
    {
        var citizen = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        var huge = new { itemCode = "542500-RSJ-20001", padding = new string('x', 100_000) };

        var response = await citizen.PostAsJsonAsync("/api/applications", huge);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("../etc/passwd.pdf")]
    [InlineData("a/b.pdf")]
    [InlineData("a\\b.pdf")]
    public async Task Declare_FileNameWithPathCharacters_Is400_AndNothingIsDeclared(string fileName)
    {
        var citizen = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        var id = (await citizen.OpenAsync()).GetProperty("id").GetString()!;

        var response = await citizen.DeclareAsync(id, "M01", Api.Pdf(), fileName: fileName);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["fileName"], (await response.JsonAsync()).ErrorFields());
        Assert.Empty((await (await citizen.GetAsync($"/api/applications/{id}")).JsonAsync()).GetProperty("materials").EnumerateArray());
    }

    [Fact]
    public async Task Declare_UnknownMaterialCode_AndWrongContentType_AreBothNamed()
    {
        var citizen = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        var id = (await citizen.OpenAsync()).GetProperty("id").GetString()!;

        var unknown = await citizen.DeclareAsync(id, "M99", Api.Pdf());
        var wrongType = await citizen.DeclareAsync(id, "M02", Api.Pdf(), "application/pdf", "photo.pdf");

        Assert.Equal(["materialCode"], (await unknown.JsonAsync()).ErrorFields());
        Assert.Equal(["contentType"], (await wrongType.JsonAsync()).ErrorFields());
    }

    [Fact]
    public async Task WrongMethod_Is405Problem()
    {
        var response = await host.Http.DeleteAsync("/api/catalog/items");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task UnknownRoute_Is404Problem()
    {
        var response = await host.Http.GetAsync("/api/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
