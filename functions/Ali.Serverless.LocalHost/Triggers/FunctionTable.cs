using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace Ali.Serverless.LocalHost.Triggers;

public enum TriggerKind
{
    Http,
    Queue,
    Timer,
}

/// <summary>One [Function] method and its trigger, as the Functions host would bind it.</summary>
public sealed record FunctionEntry(
    string Name,
    Type Class,
    MethodInfo Method,
    TriggerKind Trigger,
    string? Route,
    IReadOnlyList<string> HttpMethods,
    string? QueueName,
    string? Connection,
    string? Schedule);

/// <summary>
/// Finds the Functions app's [Function] methods by reflection, exactly the attributes the Functions
/// build reads to write functions.metadata, so the local host serves what Azure would.
/// </summary>
public static class FunctionTable
{
    public static IReadOnlyList<FunctionEntry> Discover(Assembly assembly)
    {
        var entries = new List<FunctionEntry>();
        foreach (var type in assembly.GetExportedTypes().Where(t => t is { IsClass: true, IsAbstract: false }))
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            {
                var function = method.GetCustomAttribute<FunctionAttribute>();
                if (function is null)
                {
                    continue;
                }
                entries.Add(Describe(function.Name, type, method));
            }
        }
        return entries.OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
    }

    private static FunctionEntry Describe(string name, Type type, MethodInfo method)
    {
        foreach (var parameter in method.GetParameters())
        {
            if (parameter.GetCustomAttribute<HttpTriggerAttribute>() is { } http)
            {
                return new FunctionEntry(name, type, method, TriggerKind.Http, http.Route ?? name,
                    (http.Methods ?? ["get", "post"]).Select(m => m.ToUpperInvariant()).ToList(), null, null, null);
            }
            if (parameter.GetCustomAttribute<QueueTriggerAttribute>() is { } queue)
            {
                return new FunctionEntry(name, type, method, TriggerKind.Queue, null, [], queue.QueueName, queue.Connection ?? "AzureWebJobsStorage", null);
            }
            if (parameter.GetCustomAttribute<TimerTriggerAttribute>() is { } timer)
            {
                return new FunctionEntry(name, type, method, TriggerKind.Timer, null, [], null, null, timer.Schedule);
            }
        }
        throw new InvalidOperationException($"Function {name} has a trigger the local host does not run.");
    }
}
