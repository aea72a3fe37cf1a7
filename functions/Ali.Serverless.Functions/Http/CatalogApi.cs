using Ali.Serverless.Catalog;
using Ali.Serverless.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Ali.Serverless.Functions.Http;

/// <summary>The public catalog of service items (政务服务事项目录); no token needed.</summary>
public sealed class CatalogApi(Api api, CatalogQueries catalog)
{
    [Function("ListCatalogItems")]
    public Task<IResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "catalog/items")] HttpRequest request) =>
        api.RunAsync(request, async cancellationToken =>
        {
            var language = LanguageOf(request);
            var result = await catalog.SearchAsync(request.Query["department"], request.Query["itemType"], request.Query["keyword"], language, cancellationToken);
            return Api.Reply(request, result, items => new { language, items = items.Select(i => ServiceItemSummary.From(i, language!)).ToList() });
        });

    [Function("GetCatalogItem")]
    public Task<IResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "catalog/items/{itemCode}")] HttpRequest request, string itemCode) =>
        api.RunAsync(request, async cancellationToken =>
        {
            var language = LanguageOf(request);
            var result = await catalog.GetAsync(itemCode, language, cancellationToken);
            return Api.Reply(request, result, item => ServiceItemView.From(item, language!));
        });

    /// <summary>The lang query parameter, else Tibetan when the client asks for it first, else Chinese.</summary>
    private static string? LanguageOf(HttpRequest request)
    {
        if (request.Query.TryGetValue("lang", out var lang))
        {
            return lang.ToString();
        }
        var accept = request.Headers.AcceptLanguage.ToString();
        return accept.StartsWith(Language.Tibetan, StringComparison.OrdinalIgnoreCase) ? Language.Tibetan : Language.Chinese;
    }
}
