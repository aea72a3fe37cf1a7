using Ali.Serverless.Applications;
using Ali.Serverless.Cases;
using Ali.Serverless.Identity;
using Ali.Serverless.Materials;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Ali.Serverless.Functions.Http;

/// <summary>Applications (申请) and their materials: open, upload, verify, submit.</summary>
public sealed class ApplicationsApi(Api api, ApplicationIntake intake, CaseWorkflow workflow, MaterialReadLinks readLinks)
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    [Function("OpenApplication")]
    public Task<IResult> Open([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications")] HttpRequest request) =>
        api.RunAsync(request, "OpenApplication", async (caller, cancellationToken) =>
        {
            var body = await JsonBody.ReadAsync<OpenApplicationRequest>(request, cancellationToken);
            if (body.Problem is not null)
            {
                return ProblemResponse.From(body.Problem, request);
            }
            var key = request.Headers.TryGetValue(IdempotencyKeyHeader, out var header) ? header.ToString() : null;
            var result = await intake.OpenAsync(caller, body.Value!, key, body.Fingerprint, cancellationToken);
            if (result.Value?.Replayed == true)
            {
                request.HttpContext.Response.Headers["Idempotent-Replayed"] = "true";
            }
            return Api.Reply(request, result, opened => ApplicationView.From(opened.Application), StatusCodes.Status201Created,
                opened => $"/api/applications/{opened.Application.Id}");
        });

    [Function("ListApplications")]
    public Task<IResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "applications")] HttpRequest request) =>
        api.RunAsync(request, "ListApplications", async (caller, cancellationToken) =>
        {
            var result = await intake.ListAsync(caller, QueryValues.PageSize(request), QueryValues.ContinuationToken(request), cancellationToken);
            return Api.Reply(request, result, page => new { items = page.Items.Select(ApplicationView.From).ToList(), continuationToken = page.ContinuationToken });
        });

    [Function("GetApplication")]
    public Task<IResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "applications/{id}")] HttpRequest request, string id) =>
        api.RunAsync(request, "GetApplication", async (caller, cancellationToken) =>
            Api.Reply(request, await intake.GetAsync(caller, id, cancellationToken), ApplicationView.From));

    [Function("DeclareMaterial")]
    public Task<IResult> DeclareMaterial(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{id}/materials")] HttpRequest request, string id) =>
        api.RunAsync<DeclareMaterialRequest>(request, "DeclareMaterial", async (caller, body, cancellationToken) =>
        {
            if (body.LicenceId is not null)
            {
                // 减材料: one of the applicant's licences instead of a file; nothing to upload.
                var given = await intake.GiveLicenceAsync(caller, id, body, cancellationToken);
                return Api.Reply(request, given, material => new { material }, StatusCodes.Status201Created,
                    material => $"/api/applications/{id}/materials/{material.Id}");
            }
            var result = await intake.DeclareMaterialAsync(caller, id, body, cancellationToken);
            return Api.Reply(request, result, upload => upload, StatusCodes.Status201Created,
                upload => $"/api/applications/{id}/materials/{upload.Material.Id}");
        });

    [Function("GetMaterial")]
    public Task<IResult> GetMaterial(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "applications/{id}/materials/{materialId}")] HttpRequest request,
        string id, string materialId) =>
        api.RunAsync(request, "GetMaterial", async (caller, cancellationToken) =>
            Api.Reply(request, await intake.GetMaterialAsync(caller, id, materialId, cancellationToken), MaterialView.From));

    // POST, not GET: each call issues a new credential and writes an audit record; it is not a safe, cacheable read.
    [Function("CreateMaterialReadLink")]
    public Task<IResult> CreateMaterialReadLink(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{id}/materials/{materialId}/read-link")] HttpRequest request,
        string id, string materialId) =>
        api.RunAsync(request, "CreateMaterialReadLink", async (caller, cancellationToken) =>
            Api.Reply(request, await readLinks.ForApplicationAsync(caller, id, materialId, cancellationToken), link => link));

    [Function("RenewUploadTarget")]
    public Task<IResult> RenewUploadTarget(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{id}/materials/{materialId}/upload-target")] HttpRequest request,
        string id, string materialId) =>
        api.RunAsync(request, "RenewUploadTarget", async (caller, cancellationToken) =>
            Api.Reply(request, await intake.RenewUploadTargetAsync(caller, id, materialId, cancellationToken), upload => upload));

    [Function("CompleteMaterial")]
    public Task<IResult> CompleteMaterial(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{id}/materials/{materialId}/complete")] HttpRequest request,
        string id, string materialId) =>
        api.RunAsync(request, "CompleteMaterial", async (caller, cancellationToken) =>
            Api.Reply(request, await intake.CompleteMaterialAsync(caller, id, materialId, cancellationToken), ApplicationView.From));

    [Function("SubmitApplication")]
    public Task<IResult> Submit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{id}/submit")] HttpRequest request, string id) =>
        api.RunAsync(request, "SubmitApplication", async (caller, cancellationToken) =>
            Api.Reply(request, await intake.SubmitAsync(caller, id, cancellationToken), ApplicationView.From, StatusCodes.Status202Accepted,
                application => $"/api/applications/{application.Id}"));

    [Function("WithdrawApplication")]
    public Task<IResult> Withdraw(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{id}/withdraw")] HttpRequest request, string id) =>
        api.RunAsync(request, "WithdrawApplication", async (caller, cancellationToken) =>
        {
            // The body is optional: an empty POST withdraws without a reason.
            var body = await JsonBody.ReadOptionalAsync(request, new WithdrawRequest(null), cancellationToken);
            if (body.Problem is not null)
            {
                return ProblemResponse.From(body.Problem, request);
            }
            return Api.Reply(request, await workflow.WithdrawAsync(caller, id, body.Value!, cancellationToken), ApplicationView.From);
        });

    [Function("ResubmitApplication")]
    public Task<IResult> Resubmit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{id}/resubmit")] HttpRequest request, string id) =>
        api.RunAsync(request, "ResubmitApplication", async (caller, cancellationToken) =>
            Api.Reply(request, await workflow.ResubmitAsync(caller, id, cancellationToken), ApplicationView.From, StatusCodes.Status202Accepted,
                application => $"/api/applications/{application.Id}"));
}
