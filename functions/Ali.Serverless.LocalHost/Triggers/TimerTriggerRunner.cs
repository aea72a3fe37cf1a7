using Cronos;
using Microsoft.Azure.Functions.Worker;

namespace Ali.Serverless.LocalHost.Triggers;

/// <summary>Runs the timer-triggered functions on their six-field CRON schedules (with seconds), in UTC like the Functions host.</summary>
public sealed class TimerTriggerRunner(
    IReadOnlyList<FunctionEntry> functions, TimeProvider clock, IServiceScopeFactory scopes, ILogger<TimerTriggerRunner> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(functions.Where(f => f.Trigger == TriggerKind.Timer).Select(f => RunAsync(f, stoppingToken)));

    private async Task RunAsync(FunctionEntry function, CancellationToken stoppingToken)
    {
        var schedule = CronExpression.Parse(function.Schedule!, CronFormat.IncludeSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            var next = schedule.GetNextOccurrence(now, TimeZoneInfo.Utc);
            if (next is null)
            {
                return;
            }
            try
            {
                await Task.Delay(next.Value - now, clock, stoppingToken);
                await using var scope = scopes.CreateAsyncScope();
                await FunctionInvoker.InvokeAsync(scope.ServiceProvider, function, new TimerInfo(), new Dictionary<string, object?>(), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Timer function {Function} failed", function.Name);
            }
        }
    }
}
