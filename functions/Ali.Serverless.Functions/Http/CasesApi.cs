using Ali.Serverless.Cases;
using Ali.Serverless.Identity;
using Ali.Serverless.Materials;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Ali.Serverless.Functions.Http;

/// <summary>Department staff and their systems: worklists, tasks, cases and special procedures.</summary>
public sealed class CasesApi(Api api, CaseWorkflow workflow, MaterialReadLinks readLinks)
{
    [Function("GetWorklist")]
    public Task<IResult> Worklist([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "worklist")] HttpRequest request) =>
        api.RunAsync(request, "GetWorklist", async (caller, cancellationToken) =>
        {
            var result = await workflow.WorklistAsync(caller, QueryValues.Text(request, "kind"), QueryValues.PageSize(request), QueryValues.ContinuationToken(request), cancellationToken);
            return Api.Reply(request, result, page => new { items = page.Items.Select(TaskView.From).ToList(), continuationToken = page.ContinuationToken });
        });

    [Function("GetTask")]
    public Task<IResult> GetTask([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tasks/{taskId}")] HttpRequest request, string taskId) =>
        api.RunAsync(request, "GetTask", async (caller, cancellationToken) =>
            Api.Reply(request, await workflow.GetTaskAsync(caller, taskId, cancellationToken), view => view));

    [Function("CompleteTask")]
    public Task<IResult> CompleteTask([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "tasks/{taskId}/complete")] HttpRequest request, string taskId) =>
        api.RunAsync<CompleteTaskRequest>(request, "CompleteTask", async (caller, body, cancellationToken) =>
            Api.Reply(request, await workflow.CompleteTaskAsync(caller, taskId, body, cancellationToken), view => view));

    [Function("GetCase")]
    public Task<IResult> GetCase([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "cases/{caseNumber}")] HttpRequest request, string caseNumber) =>
        api.RunAsync(request, "GetCase", async (caller, cancellationToken) =>
            Api.Reply(request, await workflow.GetCaseAsync(caller, caseNumber, cancellationToken), CaseView.From));

    [Function("GetCaseAudit")]
    public Task<IResult> GetCaseAudit([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "cases/{caseNumber}/audit")] HttpRequest request, string caseNumber) =>
        api.RunAsync(request, "GetCaseAudit", async (caller, cancellationToken) =>
            Api.Reply(request, await workflow.GetAuditAsync(caller, caseNumber, QueryValues.PageSize(request), QueryValues.ContinuationToken(request), cancellationToken),
                CaseAuditView.From));

    [Function("CreateCaseMaterialReadLink")]
    public Task<IResult> CreateCaseMaterialReadLink(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cases/{caseNumber}/materials/{materialId}/read-link")] HttpRequest request,
        string caseNumber, string materialId) =>
        api.RunAsync(request, "CreateCaseMaterialReadLink", async (caller, cancellationToken) =>
            Api.Reply(request, await readLinks.ForCaseAsync(caller, caseNumber, materialId, cancellationToken), link => link));

    [Function("StartSpecialProcedure")]
    public Task<IResult> StartSpecialProcedure(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cases/{caseNumber}/special-procedures")] HttpRequest request, string caseNumber) =>
        api.RunAsync<StartSpecialProcedureRequest>(request, "StartSpecialProcedure", async (caller, body, cancellationToken) =>
        {
            var result = await workflow.StartSpecialProcedureAsync(caller, caseNumber, body, cancellationToken);
            // The procedure is read as part of its case (specialProcedures), so that is where Location points.
            return Api.Reply(request, result, SpecialProcedureView.From, StatusCodes.Status201Created,
                _ => $"/api/cases/{Uri.EscapeDataString(caseNumber)}");
        });

    [Function("EndSpecialProcedure")]
    public Task<IResult> EndSpecialProcedure(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cases/{caseNumber}/special-procedures/{procedureId}/end")] HttpRequest request,
        string caseNumber, string procedureId) =>
        api.RunAsync<EndSpecialProcedureRequest>(request, "EndSpecialProcedure", async (caller, body, cancellationToken) =>
            Api.Reply(request, await workflow.EndSpecialProcedureAsync(caller, caseNumber, procedureId, body, cancellationToken), SpecialProcedureView.From));
}
