using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace Ali.Serverless.LocalHost.Triggers;

/// <summary>
/// Calls a [Function] method the way the Functions worker does: the class comes from DI (per
/// invocation scope), the trigger value fills the trigger parameter, route values fill the
/// parameters named after them, and a CancellationToken is passed where asked for.
/// </summary>
public static class FunctionInvoker
{
    public static async Task<object?> InvokeAsync(
        IServiceProvider services, FunctionEntry function, object triggerValue, IReadOnlyDictionary<string, object?> bindingData, CancellationToken cancellationToken)
    {
        var instance = ActivatorUtilities.CreateInstance(services, function.Class);
        var parameters = function.Method.GetParameters();
        var arguments = new object?[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            arguments[i] = parameter.ParameterType switch
            {
                var t when t == typeof(CancellationToken) => cancellationToken,
                var t when t.IsInstanceOfType(triggerValue) && IsTrigger(parameter) => triggerValue,
                var t when t == typeof(string) && bindingData.TryGetValue(parameter.Name!, out var value) => value?.ToString(),
                _ => throw new InvalidOperationException($"{function.Name}: the local host cannot bind parameter '{parameter.Name}'."),
            };
        }
        object? result;
        try
        {
            result = function.Method.Invoke(instance, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
        switch (result)
        {
            case Task task:
                await task;
                var property = task.GetType().GetProperty("Result");
                return property?.PropertyType.Name == "VoidTaskResult" ? null : property?.GetValue(task);
            default:
                return result;
        }
    }

    private static bool IsTrigger(ParameterInfo parameter) =>
        parameter.GetCustomAttributes().Any(a => a.GetType().Name.EndsWith("TriggerAttribute", StringComparison.Ordinal));

    /// <summary>Executes what an HTTP function returned.</summary>
    public static Task WriteResultAsync(HttpContext context, object? result) => result switch
    {
        IResult r => r.ExecuteAsync(context),
        null => Task.CompletedTask,
        _ => throw new InvalidOperationException($"HTTP functions return IResult; got {result.GetType().Name}."),
    };
}
