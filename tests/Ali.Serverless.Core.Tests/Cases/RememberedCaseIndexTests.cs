using Ali.Serverless.Cases;
using Moq;

namespace Ali.Serverless.Core.Tests.Cases;

public sealed class RememberedCaseIndexTests
{
    private static readonly CaseIndexEntry Entry = new("542500-20261129-0000000001", "owner-1", "app-1", "542500-RSJ");

    private readonly Mock<ICaseIndex> _store = new();

    [Fact]
    public async Task A_found_entry_is_read_from_the_store_once()
    {
        _store.Setup(s => s.GetAsync(Entry.CaseNumber, It.IsAny<CancellationToken>())).ReturnsAsync(Entry);
        var index = new RememberedCaseIndex(_store.Object);

        var first = await index.GetAsync(Entry.CaseNumber, default);
        var second = await index.GetAsync(Entry.CaseNumber, default);

        Assert.Equal(Entry, first);
        Assert.Equal(Entry, second);
        _store.Verify(s => s.GetAsync(Entry.CaseNumber, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_case_not_found_is_asked_for_again_so_one_indexed_later_is_found()
    {
        _store.SetupSequence(s => s.GetAsync(Entry.CaseNumber, It.IsAny<CancellationToken>()))
            .ReturnsAsync((CaseIndexEntry?)null)
            .ReturnsAsync(Entry);
        var index = new RememberedCaseIndex(_store.Object);

        Assert.Null(await index.GetAsync(Entry.CaseNumber, default));
        Assert.Equal(Entry, await index.GetAsync(Entry.CaseNumber, default));
    }

    [Fact]
    public async Task An_entry_written_through_it_is_written_to_the_store_and_then_needs_no_read()
    {
        var index = new RememberedCaseIndex(_store.Object);

        await index.UpsertAsync(Entry, default);

        Assert.Equal(Entry, await index.GetAsync(Entry.CaseNumber, default));
        _store.Verify(s => s.UpsertAsync(Entry, It.IsAny<CancellationToken>()), Times.Once);
        _store.Verify(s => s.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_failed_write_is_not_remembered()
    {
        _store.Setup(s => s.UpsertAsync(Entry, It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("store down"));
        var index = new RememberedCaseIndex(_store.Object);

        await Assert.ThrowsAsync<InvalidOperationException>(() => index.UpsertAsync(Entry, default));

        Assert.Null(await index.GetAsync(Entry.CaseNumber, default));
    }
}
