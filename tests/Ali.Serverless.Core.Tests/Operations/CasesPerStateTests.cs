using System.Diagnostics.Metrics;
using Ali.Serverless.Applications;
using Ali.Serverless.Core.Tests.Support;
using Ali.Serverless.Operations;

namespace Ali.Serverless.Core.Tests.Operations;

/// <summary>The ali.cases.current gauge: reported from the last count, recounted in the background at most every five minutes.</summary>
public sealed class CasesPerStateTests
{
    private sealed class ScriptedCounts : ICaseCounts
    {
        public int Calls;
        public Func<IReadOnlyDictionary<ApplicationStatus, long>> Answer { get; set; } = () => new Dictionary<ApplicationStatus, long>();

        public Task<IReadOnlyDictionary<ApplicationStatus, long>> CountByStatusAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            return Task.FromResult(Answer());
        }
    }

    private static Dictionary<string, long> Values(IEnumerable<Measurement<long>> measurements) =>
        measurements.ToDictionary(m => (string)m.Tags.ToArray().Single(t => t.Key == "state").Value!, m => m.Value);

    [Fact]
    public async Task TheFirstObservation_StartsACount_AndTheNextReportsEveryState()
    {
        var counts = new ScriptedCounts { Answer = () => new Dictionary<ApplicationStatus, long> { [ApplicationStatus.UnderReview] = 7, [ApplicationStatus.Draft] = 2 } };
        var clock = new FakeTimeProvider(IntakeHarness.Start);
        using var gauge = new CasesPerState(counts, clock);

        Assert.Empty(gauge.Observe());
        await gauge.Counting!;
        var values = Values(gauge.Observe());

        Assert.Equal(Enum.GetValues<ApplicationStatus>().Length, values.Count);
        Assert.Equal(7, values["under-review"]);
        Assert.Equal(2, values["draft"]);
        Assert.Equal(0, values["completed"]);
        Assert.Equal(1, counts.Calls);
    }

    [Fact]
    public async Task ObservationsWithinTheInterval_DoNotCountAgain_AndAfterItOneDoes()
    {
        var counts = new ScriptedCounts { Answer = () => new Dictionary<ApplicationStatus, long> { [ApplicationStatus.Completed] = 1 } };
        var clock = new FakeTimeProvider(IntakeHarness.Start);
        using var gauge = new CasesPerState(counts, clock);
        await gauge.RefreshAsync(CancellationToken.None);

        for (var i = 0; i < 10; i++)
        {
            gauge.Observe().ToList();
            clock.Advance(TimeSpan.FromSeconds(20));
        }
        Assert.Equal(1, counts.Calls);

        counts.Answer = () => new Dictionary<ApplicationStatus, long> { [ApplicationStatus.Completed] = 2 };
        clock.Advance(CasesPerState.RefreshInterval);
        // The stale count is reported while the new one runs; the one after reports the new count.
        Assert.Equal(1, Values(gauge.Observe())["completed"]);
        await gauge.Counting!;
        Assert.Equal(2, Values(gauge.Observe())["completed"]);
        Assert.Equal(2, counts.Calls);
    }

    [Fact]
    public async Task AFailingCount_KeepsTheLastCount_AndIsNotRetriedAtEveryObservation()
    {
        var counts = new ScriptedCounts { Answer = () => new Dictionary<ApplicationStatus, long> { [ApplicationStatus.Withdrawn] = 3 } };
        var clock = new FakeTimeProvider(IntakeHarness.Start);
        using var gauge = new CasesPerState(counts, clock);
        await gauge.RefreshAsync(CancellationToken.None);
        counts.Answer = () => throw new TimeoutException("the store did not answer");
        clock.Advance(CasesPerState.RefreshInterval);

        gauge.Observe().ToList();
        await gauge.Counting!;
        var after = Values(gauge.Observe());

        Assert.Equal(3, after["withdrawn"]);
        Assert.Equal(2, counts.Calls);
    }
}
