using Ali.Serverless.Applications;
using Ali.Serverless.Cases;
using Ali.Serverless.Common;
using Ali.Serverless.Evaluations;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Ali.Serverless.Functions.Http;

/// <summary>Good and bad reviews (好差评): the applicant rates, the department appeals, a supervisor decides, the public reads.</summary>
public sealed class EvaluationsApi(Api api, ApplicationIntake intake, CaseWorkflow workflow, EvaluationQueries queries)
{
    [Function("EvaluateApplication")]
    public Task<IResult> Evaluate([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{id}/evaluation")] HttpRequest request, string id) =>
        api.RunAsync<EvaluateRequest>(request, "EvaluateApplication", async (caller, body, cancellationToken) =>
            Api.Reply(request, await workflow.EvaluateAsync(caller, id, body, cancellationToken), EvaluationView.From, StatusCodes.Status201Created,
                _ => $"/api/applications/{id}/evaluation"));

    [Function("GetApplicationEvaluation")]
    public Task<IResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "applications/{id}/evaluation")] HttpRequest request, string id) =>
        api.RunAsync(request, "GetApplicationEvaluation", async (caller, cancellationToken) =>
        {
            // Readable wherever the application is: the owner, the hall, and the applicant linked by 一号.
            var application = await intake.GetAsync(caller, id, cancellationToken);
            Result<Evaluation> result = !application.IsSuccess ? application.Problem!
                : application.Value!.Evaluation is { } evaluation ? evaluation
                : Problem.NotFound($"Evaluation of application '{id}'");
            return Api.Reply(request, result, EvaluationView.From);
        });

    [Function("AppealEvaluation")]
    public Task<IResult> Appeal([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cases/{caseNumber}/evaluation/appeal")] HttpRequest request, string caseNumber) =>
        api.RunAsync<AppealEvaluationRequest>(request, "AppealEvaluation", async (caller, body, cancellationToken) =>
            Api.Reply(request, await workflow.AppealEvaluationAsync(caller, caseNumber, body, cancellationToken), EvaluationView.From, StatusCodes.Status201Created,
                _ => $"/api/cases/{Uri.EscapeDataString(caseNumber)}"));

    [Function("DecideEvaluationAppeal")]
    public Task<IResult> Decide([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cases/{caseNumber}/evaluation/appeal/decision")] HttpRequest request, string caseNumber) =>
        api.RunAsync<DecideAppealRequest>(request, "DecideEvaluationAppeal", async (caller, body, cancellationToken) =>
            Api.Reply(request, await workflow.DecideAppealAsync(caller, caseNumber, body, cancellationToken), EvaluationView.From));

    [Function("ListEvaluationAppeals")]
    public Task<IResult> Appeals([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "supervision/appeals")] HttpRequest request) =>
        api.RunAsync(request, "ListEvaluationAppeals", async (caller, cancellationToken) =>
            Api.Reply(request, await queries.PendingAppealsAsync(QueryValues.PageSize(request), QueryValues.ContinuationToken(request), cancellationToken),
                page => new { items = page.Items.Select(EvaluationView.From).ToList(), continuationToken = page.ContinuationToken }));

    [Function("ListItemEvaluations")]
    public Task<IResult> ForItem([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "catalog/items/{itemCode}/evaluations")] HttpRequest request, string itemCode) =>
        api.RunAsync(request, async cancellationToken =>
            Api.Reply(request, await queries.ForItemAsync(itemCode, QueryValues.PageSize(request), QueryValues.ContinuationToken(request), cancellationToken), Published));

    [Function("ListDepartmentEvaluations")]
    public Task<IResult> ForDepartment([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "departments/{departmentCode}/evaluations")] HttpRequest request, string departmentCode) =>
        api.RunAsync(request, async cancellationToken =>
            Api.Reply(request, await queries.ForDepartmentAsync(departmentCode, QueryValues.PageSize(request), QueryValues.ContinuationToken(request), cancellationToken), Published));

    private static object Published(Page<Evaluation> page) =>
        new { items = page.Items.Select(PublicEvaluationView.From).ToList(), continuationToken = page.ContinuationToken };
}
