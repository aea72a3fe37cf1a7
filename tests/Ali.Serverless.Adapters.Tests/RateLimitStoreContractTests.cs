namespace Ali.Serverless.Adapters.Tests;

/// <summary>What both rate-limit stores must do: count up to the limit, per subject, bucket and window, atomically.</summary>
public sealed class RateLimitStoreContractTests
{
    private static readonly DateTimeOffset Window = new(2026, 11, 28, 2, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Theory]
    [MemberData(nameof(StoreTargets.All), MemberType = typeof(StoreTargets))]
    public async Task Counts_UpToTheLimit_ThenRefuses(string target)
    {
        var store = await StoreTargets.CreateRateLimitStoreAsync(target);

        var results = new List<bool>();
        for (var i = 0; i < 5; i++)
        {
            results.Add(await store.TryCountAsync("applicant:u1", "open-application", Window, Hour, 3, default));
        }

        Assert.Equal([true, true, true, false, false], results);
    }

    [Theory]
    [MemberData(nameof(StoreTargets.All), MemberType = typeof(StoreTargets))]
    public async Task SubjectsBucketsAndWindows_AreCountedApart(string target)
    {
        var store = await StoreTargets.CreateRateLimitStoreAsync(target);
        Assert.True(await store.TryCountAsync("applicant:u1", "open-application", Window, Hour, 1, default));
        Assert.False(await store.TryCountAsync("applicant:u1", "open-application", Window, Hour, 1, default));

        Assert.True(await store.TryCountAsync("window-clerk:c1", "open-application", Window, Hour, 1, default));
        Assert.True(await store.TryCountAsync("applicant:u1", "declare-material", Window, Hour, 1, default));
        Assert.True(await store.TryCountAsync("applicant:u1", "open-application", Window + Hour, Hour, 1, default));
        // Subjects come from tokens: characters Cosmos ids refuse are fine as a partition key value.
        Assert.True(await store.TryCountAsync("applicant:a/b?c#d\\e", "open-application", Window, Hour, 1, default));
    }

    [Theory]
    [MemberData(nameof(StoreTargets.All), MemberType = typeof(StoreTargets))]
    public async Task ParallelRequestsOverTheLimit_ExactlyTheLimitIsCounted(string target)
    {
        var store = await StoreTargets.CreateRateLimitStoreAsync(target);
        const int limit = 7;

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Task.Run(() => store.TryCountAsync("applicant:burst", "sms-actions", Window, Hour, limit, default))));

        Assert.Equal(limit, results.Count(r => r));
        Assert.False(await store.TryCountAsync("applicant:burst", "sms-actions", Window, Hour, limit, default));
    }
}
