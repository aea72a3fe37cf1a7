using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.ExceptionServices;

namespace Ali.Serverless.Core.Tests.Costs;

/// <summary>Calls per port and method ("IApplicationStore.UpdateAsync"), counted by <see cref="CountingProxy{T}"/>.</summary>
public sealed class PortCalls
{
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<object?> _results = [];

    public IReadOnlyDictionary<string, int> All => _calls;

    public void Add(string port, string method) => _calls.AddOrUpdate($"{port}.{method}", 1, (_, n) => n + 1);

    public void Clear() => _calls.Clear();

    public int Count(Func<string, bool> which) => _calls.Where(c => which(c.Key)).Sum(c => c.Value);

    public string Table() => string.Join("\n", _calls.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}"));
}

/// <summary>
/// A decorator for any port interface that counts each call before passing it on, so the cost test
/// counts what the rules ask of the stores and queues without changing a line of them.
/// </summary>
public class CountingProxy<T> : DispatchProxy where T : class
{
    private T _inner = null!;
    private PortCalls _calls = null!;
    private Action<MethodInfo, object?[]?, object?>? _observe;

    public static T Wrap(T inner, PortCalls calls, Action<MethodInfo, object?[]?, object?>? observe = null)
    {
        var proxy = Create<T, CountingProxy<T>>();
        var counting = (CountingProxy<T>)(object)proxy;
        counting._inner = inner;
        counting._calls = calls;
        counting._observe = observe;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        _calls.Add(typeof(T).Name, targetMethod!.Name);
        try
        {
            var result = targetMethod.Invoke(_inner, args);
            _observe?.Invoke(targetMethod, args, result);
            return result;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
