using Ali.Serverless.Catalog;
using Ali.Serverless.Core.Tests.Support;

namespace Ali.Serverless.Core.Tests.Catalog;

/// <summary>The catalog served from memory: no per-request scan, a cheap version check, instances converging.</summary>
public sealed class CatalogCacheTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 29, 1, 0, 0, TimeSpan.Zero));
    private readonly InMemoryCatalogStore _store = new();

    public CatalogCacheTests()
    {
        foreach (var item in TestCatalog.All())
        {
            _store.UpsertAsync(item, default).GetAwaiter().GetResult();
        }
        _store.SaveVersionAsync(new CatalogVersion("v1", new Dictionary<string, string>(), _clock.Now), default).GetAwaiter().GetResult();
    }

    private CatalogCache Instance() => new(_store, _clock, new CatalogCacheOptions { VersionCheckInterval = Interval });

    [Fact]
    public async Task ManyReads_WithinTheInterval_ReadTheStoreOnce()
    {
        var cache = Instance();

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(3, (await cache.ListAsync(null, null, default)).Count);
            Assert.NotNull(await cache.GetAsync(TestCatalog.PersonItemCode, default));
        }

        Assert.Equal((1, 1, 0), (_store.ListReads, _store.VersionReads, _store.ItemReads));
        Assert.Equal(1, cache.Loads);
    }

    [Fact]
    public async Task Filters_MatchTheStoresFilters()
    {
        var cache = Instance();
        await _store.UpsertAsync(TestCatalog.Item("542500-TEST-09009", ["1"], [Channel.Web]) with { ItemType = "20" }, default);

        foreach (var (department, type) in new[] { ("542500-SCJGJ", (string?)null), ("542500-SCJGJ", "20"), ("542500-SCJGJ", "01"), (null, "20"), ("542500-NONE", null) })
        {
            var expected = (await _store.ListAsync(department, type, default)).Select(i => i.ItemCode);
            Assert.Equal(expected, (await cache.ListAsync(department, type, default)).Select(i => i.ItemCode));
        }
        Assert.Null(await cache.GetAsync("542500-NONE-00000", default));
    }

    [Fact]
    public async Task AfterTheInterval_AnUnchangedVersion_CostsOnePointReadAndNoScan()
    {
        var cache = Instance();
        await cache.ListAsync(null, null, default);

        _clock.Advance(Interval);
        await cache.ListAsync(null, null, default);
        await cache.ListAsync(null, null, default);

        Assert.Equal((1, 2), (_store.ListReads, _store.VersionReads));
    }

    [Fact]
    public async Task TwoInstances_ConvergeOnANewCatalog_WithinOneInterval()
    {
        var a = Instance();
        var b = Instance();
        await a.ListAsync(null, null, default);
        await b.ListAsync(null, null, default);

        // A deployment's first instance loads changed files: items first, version last.
        var added = TestCatalog.Item("542500-TEST-05005", ["1"], [Channel.Web]);
        await _store.UpsertAsync(added, default);
        await _store.SaveVersionAsync(new CatalogVersion("v2", new Dictionary<string, string>(), _clock.Now), default);

        Assert.Null(await a.GetAsync(added.ItemCode, default));
        _clock.Advance(Interval);

        Assert.NotNull(await a.GetAsync(added.ItemCode, default));
        Assert.NotNull(await b.GetAsync(added.ItemCode, default));
        Assert.Equal(4, (await b.ListAsync(null, null, default)).Count);
        Assert.Equal((2, 2), (a.Loads, b.Loads));
    }

    [Fact]
    public async Task AnUpsertThroughTheCache_IsSeenAtOnceOnThatInstance()
    {
        var cache = Instance();
        await cache.ListAsync(null, null, default);
        var changed = TestCatalog.PersonItem() with { PromisedTimeLimitDays = 1 };

        await cache.UpsertAsync(changed, default);

        Assert.Equal(1, (await cache.GetAsync(changed.ItemCode, default))!.PromisedTimeLimitDays);
    }

    [Fact]
    public async Task ConcurrentFirstReads_LoadOnce()
    {
        var cache = Instance();

        await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => cache.ListAsync(null, null, default))));

        Assert.Equal(1, _store.ListReads);
    }

    [Fact]
    public async Task BeforeAnyLoad_TheStoresItemsAreServed()
    {
        var empty = new InMemoryCatalogStore();
        await empty.UpsertAsync(TestCatalog.PersonItem(), default);
        var cache = new CatalogCache(empty, _clock, new CatalogCacheOptions());

        Assert.Single(await cache.ListAsync(null, null, default));
    }
}
