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
var functions = FunctionTable.Discover(typeof(ApplicationsApi).Assembly);
builder.Services.AddSingleton(functions);
builder.Services.AddSingleton(QueueSettings.Read(Path.Combine(AppContext.BaseDirectory, "host.json")));
builder.Services.AddHostedService<QueueTriggerRunner>();
builder.Services.AddHostedService<TimerTriggerRunner>();

var app = builder.Build();
app.MapFunctions(functions);
if (app.Environment.IsDevelopment())
{
    app.MapDevelopmentTokens();
}
app.MapFallback((HttpContext context) => ProblemResponse.NotFound(context.Request));
app.Run();

/// <summary>Entry point type, visible to the tests.</summary>
public partial class Program;
