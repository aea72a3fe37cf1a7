using System.Net;

namespace Ali.Serverless.EndToEnd.Tests;

[Collection(LocalHostCollection.Name)]
public sealed class CatalogTests(LocalHostProcess host)
{
    [Fact]
    public async Task SeededCatalog_IsServed_AcrossDepartmentsAndCounties()
    {
        var items = (await (await host.Http.GetAsync("/api/catalog/items")).JsonAsync()).GetProperty("items").EnumerateArray().ToList();

        Assert.True(items.Count >= 25, $"only {items.Count} items");
        Assert.True(items.Select(i => i.GetProperty("departmentCode").GetString()).Distinct().Count() >= 10);
        Assert.Contains(items, i => i.GetProperty("divisionCode").GetString() != "542500");
    }

    [Fact]
    public async Task Filters_ByDepartment_Type_AndKeyword()
    {
        var byDepartment = await (await host.Http.GetAsync("/api/catalog/items?department=542500-RSJ")).JsonAsync();
        var byKeyword = await (await host.Http.GetAsync($"/api/catalog/items?keyword={Uri.EscapeDataString("社会保障卡")}")).JsonAsync();
        var byType = await (await host.Http.GetAsync("/api/catalog/items?itemType=05")).JsonAsync();

        Assert.All(byDepartment.GetProperty("items").EnumerateArray(), i => Assert.Equal("542500-RSJ", i.GetProperty("departmentCode").GetString()));
        Assert.Equal(Api.SocialSecurityCardItem, byKeyword.GetProperty("items").EnumerateArray().Single().GetProperty("itemCode").GetString());
        Assert.All(byType.GetProperty("items").EnumerateArray(), i => Assert.Equal("05", i.GetProperty("itemType").GetString()));
    }

    [Fact]
    public async Task Item_InTibetan_FallsBackToChinese_AndSaysWhichTextsAreUntranslated()
    {
        var item = await (await host.Http.GetAsync($"/api/catalog/items/{Api.SocialSecurityCardItem}?lang=bo")).JsonAsync();

        Assert.Equal("bo", item.GetProperty("language").GetString());
        Assert.Equal("社会保障卡申领", item.GetProperty("name").GetString());
        Assert.Contains("name", item.GetProperty("untranslated").EnumerateArray().Select(e => e.GetString()));
        Assert.True(item.GetProperty("materials")[0].GetProperty("required").GetBoolean());
    }

    [Fact]
    public async Task UnknownItem_Is404_AndUnsupportedLanguage_Is400()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync("/api/catalog/items/NO-SUCH")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Http.GetAsync("/api/catalog/items?lang=en")).StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_IsServed_AndDescribesTheApplicationsApi()
    {
        var response = await host.Http.GetAsync("/api/openapi.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.JsonAsync()).GetProperty("paths").TryGetProperty("/applications", out _));
    }
}
