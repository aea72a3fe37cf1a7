using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Ali.Serverless.Functions;

public sealed class Health
{
    [Function(nameof(Health))]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request)
        => Results.Ok(new { status = "ok" });
}
