using Ali.Serverless.Applications;
using Ali.Serverless.Common;
using Ali.Serverless.Functions.Licences;
using Ali.Serverless.Licences;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Ali.Serverless.Functions.Http;

/// <summary>Electronic licences (电子证照): public keys, the holder's list, one licence (JSON or printable page), verification, revocation.</summary>
public sealed class LicencesApi(Api api, LicenceService licences, LicencePageOptions page)
{
    [Function("GetLicenceKeys")]
    public Task<IResult> Keys([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "licences/keys")] HttpRequest request) =>
        api.RunAsync(request, async cancellationToken =>
            Results.Json(new { keys = await licences.PublicKeysAsync(cancellationToken) }, ApiJson.Options));

    [Function("VerifyLicence")]
    public Task<IResult> Verify([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "licences/verify")] HttpRequest request) =>
        api.RunAsync(request, async cancellationToken =>
            Api.Reply(request, await licences.VerifyAsync(QueryValues.Text(request, "id"), QueryValues.Text(request, "d"), cancellationToken), v => v));

    [Function("ListMyLicences")]
    public Task<IResult> ListMine([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/licences")] HttpRequest request) =>
        api.RunAsync(request, "ListMyLicences", async (caller, cancellationToken) =>
        {
            var mine = await licences.ListMineAsync(caller, cancellationToken);
            return Results.Json(new { items = mine.Select(l => LicenceSummary.From(l.Licence, l.Status)).ToList() }, ApiJson.Options);
        });

    [Function("GetLicence")]
    public Task<IResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "licences/{id}")] HttpRequest request, string id) =>
        api.RunAsync(request, "GetLicence", async (caller, cancellationToken) =>
        {
            var format = QueryValues.Text(request, "format");
            if (format is not (null or "json" or "html"))
            {
                return ProblemResponse.From(Problem.InvalidField("format", "format is 'json' or 'html'."), request);
            }
            var result = await licences.GetAsync(caller, id, cancellationToken);
            if (!result.IsSuccess)
            {
                return ProblemResponse.From(result.Problem!, request);
            }
            var (licence, status) = result.Value;
            var html = format == "html" || (format is null && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase));
            if (!html)
            {
                return Results.Json(LicenceView.From(licence, status), ApiJson.Options);
            }
            var baseUrl = page.PublicBaseUrl ?? $"{request.Scheme}://{request.Host}";
            return Results.Content(LicencePage.Render(licence, status, LicencePage.VerificationUrl(baseUrl, licence.Content)), "text/html; charset=utf-8");
        });

    [Function("RevokeLicence")]
    public Task<IResult> Revoke([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "licences/{id}/revoke")] HttpRequest request, string id) =>
        api.RunAsync<RevokeLicenceRequest>(request, "RevokeLicence", async (caller, body, cancellationToken) =>
            Api.Reply(request, await licences.RevokeAsync(caller, id, body, cancellationToken), r => LicenceView.From(r.Licence, r.Status)));
}
