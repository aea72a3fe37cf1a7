using System.Reflection;
using Ali.Serverless.Functions.Auth;
using Ali.Serverless.Functions.Http;
using Ali.Serverless.Core.Tests.Support;
using Microsoft.Azure.Functions.Worker;

namespace Ali.Serverless.Functions.Tests.Auth;

/// <summary>The permission table lists exactly the HTTP functions, with their routes, and the README prints it as it is.</summary>
public class PermissionsTests
{
    private static IEnumerable<(string Name, string Method, string Route)> HttpFunctions() =>
        from type in typeof(Api).Assembly.GetExportedTypes()
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        let function = method.GetCustomAttribute<FunctionAttribute>()
        let trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).SingleOrDefault(t => t is not null)
        where function is not null && trigger is not null
        select (function.Name, trigger.Methods!.Single().ToUpperInvariant(), trigger.Route!);

    [Fact]
    public void TheTable_HasEveryHttpFunction_WithItsMethodAndRoute_AndNothingElse()
    {
        Assert.Equal(
            HttpFunctions().OrderBy(f => f.Name, StringComparer.Ordinal),
            Permissions.Table.Select(p => (p.Function, p.Method, p.Route)).OrderBy(f => f.Function, StringComparer.Ordinal));
    }

    [Fact]
    public void EveryRoleInTheTable_IsARoleTheApiKnows()
    {
        Assert.All(Permissions.Table.SelectMany(p => p.Roles), role => Assert.Contains(role, Ali.Serverless.Identity.Roles.All));
    }

    [Fact]
    public void AnUnlistedFunction_IsRefusedLoudly()
    {
        Assert.Throws<InvalidOperationException>(() => Permissions.For("NoSuchFunction"));
    }

    [Fact]
    public void TheReadme_PrintsTheTableAsItIs()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "README.md"));

        Assert.Contains(Permissions.Markdown(), readme.ReplaceLineEndings("\n"));
    }
}
