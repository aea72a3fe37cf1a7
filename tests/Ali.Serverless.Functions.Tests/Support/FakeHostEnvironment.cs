using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Ali.Serverless.Functions.Tests.Support;

/// <summary>Just enough of a host environment for code that asks which environment it runs in.</summary>
internal sealed class FakeHostEnvironment(string environmentName) : IHostEnvironment
{
    public string EnvironmentName { get; set; } = environmentName;
    public string ApplicationName { get; set; } = "Ali.Serverless.Functions.Tests";
    public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
    public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
}
