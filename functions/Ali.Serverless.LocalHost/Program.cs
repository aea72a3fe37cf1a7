using Ali.Serverless.Functions.Composition;
using Ali.Serverless.Functions.Http;
using Ali.Serverless.LocalHost;
using Ali.Serverless.LocalHost.Triggers;

var builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
{
    // The port the Functions host uses locally, so front ends need no second configuration.
    builder.WebHost.UseUrls("http://127.0.0.1:7071");
}

builder.Services.AddAliServerless(builder.Configuration, builder.Environment);
// This process's own queue sends wake its pollers at once (decision 22).
builder.Services.AddQueueWakeups();
// Front-end developers run their portal on their own local origin; in Azure the template sets CORS.
builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
    .AllowAnyOrigin().AllowAnyHeader().AllowAnyMethod().WithExposedHeaders("Location", "Idempotent-Replayed")));
var functions = FunctionTable.Discover(typeof(ApplicationsApi).Assembly);
builder.Services.AddSingleton(functions);
builder.Services.AddSingleton(QueueSettings.Read(Path.Combine(AppContext.BaseDirectory, "host.json")));
builder.Services.AddSingleton(new QueueTap(builder.Configuration["LocalHost:QueueTap"]));
// A second host on the same storage (a test's) can leave the queues and timers to the first one.
if (builder.Configuration.GetValue("LocalHost:Triggers", defaultValue: true))
{
    builder.Services.AddHostedService<QueueTriggerRunner>();
    builder.Services.AddHostedService<TimerTriggerRunner>();
}

var app = builder.Build();
// What the host itself answers (a wrong method, a failure outside a function) is a problem document too.
app.Use(async (context, next) =>
{
    try
    {
        await next(context);
    }
    catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
    {
        app.Logger.LogError(e, "Unhandled failure in {Method} {Path}", context.Request.Method, context.Request.Path);
        context.Response.Clear();
        await ProblemResponse.ServerError(context.Request).ExecuteAsync(context);
    }
});
if (app.Environment.IsDevelopment())
{
    app.UseCors();
}
app.UseWebFrontEnds();
app.UseStatusCodePages(async pages => await ProblemResponse.ForStatus(pages.HttpContext.Request, pages.HttpContext.Response.StatusCode).ExecuteAsync(pages.HttpContext));
app.MapFunctions(functions);
if (app.Environment.IsDevelopment())
{
    app.MapDevelopmentTokens();
}
app.Run();

/// <summary>Entry point type, visible to the tests.</summary>
public partial class Program;
