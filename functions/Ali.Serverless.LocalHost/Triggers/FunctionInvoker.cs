using System.Collections.Concurrent;
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
    // What reflection can tell about a function is worked out once per method, as the worker's generated executors do
    // at build time: looking at the parameters' attributes and matching constructors on every request cost every route
    // a few per cent of its time, more for functions with more parameters (docs/performance.md, decision 30).
    private static readonly ConcurrentDictionary<MethodInfo, Plan> Plans = new();

    public static async Task<object?> InvokeAsync(
        IServiceProvider services, FunctionEntry function, object triggerValue, IReadOnlyDictionary<string, object?> bindingData, CancellationToken cancellationToken)
    {
        var plan = Plans.GetOrAdd(function.Method, static (_, f) => Plan.For(f), function);
        var instance = plan.Create(services, null);
        var arguments = new object?[plan.Parameters.Length];
        for (var i = 0; i < plan.Parameters.Length; i++)
        {
            var parameter = plan.Parameters[i];
            arguments[i] = parameter.Type switch
            {
                var t when t == typeof(CancellationToken) => cancellationToken,
                var t when parameter.IsTrigger && t.IsInstanceOfType(triggerValue) => triggerValue,
                var t when t == typeof(string) && bindingData.TryGetValue(parameter.Name, out var value) => value?.ToString(),
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
                return plan.ResultOf?.Invoke(task);
            default:
                return result;
        }
    }

    /// <summary>Executes what an HTTP function returned.</summary>
    public static Task WriteResultAsync(HttpContext context, object? result) => result switch
    {
        IResult r => r.ExecuteAsync(context),
        null => Task.CompletedTask,
        _ => throw new InvalidOperationException($"HTTP functions return IResult; got {result.GetType().Name}."),
    };

    private sealed record ParameterPlan(string Name, Type Type, bool IsTrigger);

    private sealed record Plan(ObjectFactory Create, ParameterPlan[] Parameters, Func<Task, object?>? ResultOf)
    {
        public static Plan For(FunctionEntry function) => new(
            ActivatorUtilities.CreateFactory(function.Class, Type.EmptyTypes),
            function.Method.GetParameters().Select(p => new ParameterPlan(p.Name!, p.ParameterType, IsTrigger(p))).ToArray(),
            ResultGetter(function.Method.ReturnType));

        private static bool IsTrigger(ParameterInfo parameter) =>
            parameter.GetCustomAttributes().Any(a => a.GetType().Name.EndsWith("TriggerAttribute", StringComparison.Ordinal));

        /// <summary>For a method returning Task&lt;T&gt;, what reads T once the task is done; null for a plain Task.</summary>
        private static Func<Task, object?>? ResultGetter(Type returnType) =>
            returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>)
                ? typeof(Plan).GetMethod(nameof(ResultOfTask), BindingFlags.NonPublic | BindingFlags.Static)!
                    .MakeGenericMethod(returnType.GetGenericArguments()[0]).CreateDelegate<Func<Task, object?>>()
                : null;

        private static object? ResultOfTask<T>(Task task) => ((Task<T>)task).Result;
    }
}
