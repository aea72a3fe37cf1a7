using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Ali.Serverless.Functions.Http;

public sealed class HealthApi
{
    /// <summary>Liveness for load balancers and the local scripts; touches no dependency.</summary>
    [Function("Health")]
    public IResult Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request) =>
        Results.Json(new { status = "ok" }, ApiJson.Options);
}
