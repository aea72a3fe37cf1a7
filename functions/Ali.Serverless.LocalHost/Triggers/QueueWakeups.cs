using System.Collections.Concurrent;
using Ali.Serverless.Cases;
using Ali.Serverless.Pipeline;
using Ali.Serverless.Storage;

namespace Ali.Serverless.LocalHost.Triggers;

/// <summary>
/// Lets the local host's own queue sends wake the poller of that queue at once instead of after its idle
/// back-off (decision 22). Only an early poll: the message itself still travels through Azurite, and a
/// message from another process is found by the next regular poll, as before.
/// </summary>
public sealed class QueueWakeups
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _signals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _idleWaits = new(StringComparer.Ordinal);

    /// <summary>Something was just sent to <paramref name="queue"/>: its poller, if idle, polls now. Signals do not pile up.</summary>
    public void Signal(string queue)
    {
        var signal = SignalOf(queue);
        if (signal.CurrentCount == 0)
        {
            try
            {
                signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another send signalled between the check and the release: one wake-up is enough.
            }
        }
    }

    /// <summary>Waits out the back-off; true when a send cut it short. A signal that came while the poller was busy wakes the next wait at once.</summary>
    public async Task<bool> WaitAsync(string queue, TimeSpan backOff, CancellationToken cancellationToken)
    {
        _idleWaits.AddOrUpdate(queue, 1, (_, count) => count + 1);
        return await SignalOf(queue).WaitAsync(backOff, cancellationToken);
    }

    /// <summary>How often the poller of <paramref name="queue"/> found it empty and went idle (to observe the runner from a test).</summary>
    public int IdleWaits(string queue) => _idleWaits.GetValueOrDefault(queue);

    private SemaphoreSlim SignalOf(string queue) => _signals.GetOrAdd(queue, _ => new SemaphoreSlim(0, 1));
}

/// <summary>The submission queue of the local composition: sends as before, then wakes the pre-check's poller.</summary>
public sealed class WakingSubmissionQueue(ISubmissionQueue inner, QueueWakeups wakeups) : ISubmissionQueue
{
    public async Task EnqueueAsync(ApplicationSubmitted message, CancellationToken cancellationToken)
    {
        await inner.EnqueueAsync(message, cancellationToken);
        wakeups.Signal(StorageNames.ApplicationSubmittedQueue);
    }
}

/// <summary>The work queues of the local composition (case events, warnings, deliveries): send, then wake that queue's poller.</summary>
public sealed class WakingWorkQueue(IWorkQueue inner, QueueWakeups wakeups) : IWorkQueue
{
    public async Task SendAsync(string queue, string messageText, CancellationToken cancellationToken)
    {
        await inner.SendAsync(queue, messageText, cancellationToken);
        wakeups.Signal(queue);
    }
}

public static class QueueWakeupsRegistration
{
    /// <summary>
    /// Wraps the composition's queue senders so this process's sends wake its own pollers. The local host
    /// only: the Functions app in Azure keeps the plain senders and the host's polling (decision 22).
    /// </summary>
    public static IServiceCollection AddQueueWakeups(this IServiceCollection services)
    {
        var wakeups = new QueueWakeups();
        services.AddSingleton(wakeups);
        Decorate<ISubmissionQueue>(services, inner => new WakingSubmissionQueue(inner, wakeups));
        Decorate<IWorkQueue>(services, inner => new WakingWorkQueue(inner, wakeups));
        return services;
    }

    private static void Decorate<T>(IServiceCollection services, Func<T, T> wrap) where T : class
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(T))
            ?? throw new InvalidOperationException($"{typeof(T).Name} is not registered: nothing to wake.");
        services.Remove(registered);
        services.AddSingleton(sp => wrap(registered.ImplementationInstance as T
            ?? (registered.ImplementationFactory is { } factory ? (T)factory(sp) : (T)ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!))));
    }
}
