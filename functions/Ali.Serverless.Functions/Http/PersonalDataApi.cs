using Ali.Serverless.PersonalData;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Ali.Serverless.Functions.Http;

/// <summary>
/// The applicant's identity in full, on an explicit request (every other answer masks it). Each answer
/// is audited as <c>personal-data.reveal</c> before it is sent, and is never cached (decision 13).
/// </summary>
public sealed class PersonalDataApi(Api api, PersonalDataReveal reveal)
{
    [Function("RevealApplicant")]
    public Task<IResult> ForApplication(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "applications/{id}/applicant")] HttpRequest request, string id) =>
        api.RunAsync(request, "RevealApplicant", async (caller, cancellationToken) =>
            NotCached(request, Api.Reply(request, await reveal.ForApplicationAsync(caller, id, cancellationToken), applicant => applicant)));

    [Function("RevealTaskApplicant")]
    public Task<IResult> ForTask(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tasks/{taskId}/applicant")] HttpRequest request, string taskId) =>
        api.RunAsync(request, "RevealTaskApplicant", async (caller, cancellationToken) =>
            NotCached(request, Api.Reply(request, await reveal.ForTaskAsync(caller, taskId, cancellationToken), applicant => applicant)));

    private static IResult NotCached(HttpRequest request, IResult result)
    {
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return result;
    }
}
