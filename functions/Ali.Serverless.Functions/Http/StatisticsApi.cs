using System.Text.Json;
using System.Text.Json.Serialization;
using Ali.Serverless.Statistics;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Net.Http.Headers;

namespace Ali.Serverless.Functions.Http;

/// <summary>绩效考核 (decision 18): the monthly figures for supervisors, the same suppressed for the public, and a recompute for operators.</summary>
public sealed class StatisticsApi(Api api, StatisticsService statistics)
{
    /// <summary>As the API's JSON, but a withheld or unknown figure is written as null: the answer says it is missing.</summary>
    private static readonly JsonSerializerOptions Json = new(ApiJson.Options) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    [Function("GetStatistics")]
    public Task<IResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "statistics")] HttpRequest request) =>
        api.RunAsync(request, "GetStatistics", (caller, cancellationToken) => ReadAsync(request, publicView: false, cancellationToken));

    [Function("GetPublicStatistics")]
    public Task<IResult> GetPublic([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "statistics/public")] HttpRequest request) =>
        api.RunAsync(request, cancellationToken => ReadAsync(request, publicView: true, cancellationToken));

    [Function("RecomputeStatistics")]
    public Task<IResult> Recompute([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "statistics/recompute")] HttpRequest request) =>
        api.RunAsync<RecomputeStatisticsRequest>(request, "RecomputeStatistics", async (caller, body, cancellationToken) =>
            Api.Reply(request, await statistics.RecomputeAsync(body, cancellationToken), s => new
            {
                period = s.Period,
                computedAt = s.ComputedAt,
                cells = s.Cells.Count,
                reviewsCounted = s.ReviewsCounted,
            }));

    private async Task<IResult> ReadAsync(HttpRequest request, bool publicView, CancellationToken cancellationToken)
    {
        var answer = await statistics.ReadAsync(
            QueryValues.Text(request, "period"), QueryValues.Text(request, "department"), QueryValues.Text(request, "county"),
            QueryValues.Text(request, "format"), publicView, cancellationToken);
        if (!answer.IsSuccess)
        {
            return ProblemResponse.From(answer.Problem!, request);
        }
        var report = answer.Value!.Report;
        if (!answer.Value.Csv)
        {
            return Results.Json(report, Json);
        }
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(StatisticsCsv.FileName(report, publicView));
        request.HttpContext.Response.Headers.ContentDisposition = disposition.ToString();
        return Results.Text(StatisticsCsv.Write(report), "text/csv; charset=utf-8");
    }
}
