using Ali.Serverless.KeyRotation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

// Locally (no environment named): the files run-local.sh uses, relative to the repository root.
var environmentName = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environments.Development;
var configuration = new ConfigurationBuilder()
    .AddInMemoryCollection(environmentName == Environments.Development
        ? new Dictionary<string, string?> { ["Store:SqlitePath"] = ".local/ali-serverless.db" }
        : [])
    .AddEnvironmentVariables()
    .Build();
using var services = KeyRotationCli.Compose(configuration, new ToolEnvironment(environmentName));
return await KeyRotationCli.RunAsync(args, services, Console.Out, Console.Error, CancellationToken.None);

internal sealed class ToolEnvironment(string name) : IHostEnvironment
{
    public string EnvironmentName { get; set; } = name;
    public string ApplicationName { get; set; } = "Ali.Serverless.KeyRotation";
    public string ContentRootPath { get; set; } = Environment.CurrentDirectory;
    public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
}
