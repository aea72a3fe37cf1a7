using Ali.Serverless.PersonalData;

namespace Ali.Serverless.Adapters.Tests;

/// <summary>
/// <c>IApplicationStore.ExistsAsync</c>, the ownership check of an application's notification list: true for the
/// owner's document only, and answered without opening its personal data (a document whose data key cannot be
/// unwrapped still exists, while a read of it fails).
/// </summary>
public sealed class ApplicationExistsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 6, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(StoreTargets.All), MemberType = typeof(StoreTargets))]
    public async Task TheOwnersDocument_Exists_WithoutBeingDecrypted(string target)
    {
        var raw = await StoreTargets.CreateRawApplicationsAsync(target, TestKeys.Protector);
        var written = TestData.Application("applicant:a", T0);
        await raw.Store.CreateAsync(written, default);
        // Under a KEK version that does not exist: unreadable, but there.
        var unreadable = TestData.Application("applicant:a", T0) with { DataKey = "dk1.local-9999.0a0b0c0d.AAAA.AAAA.AAAA" };
        await raw.InsertRawAsync(unreadable);

        Assert.True(await raw.Store.ExistsAsync("applicant:a", written.Id, default));
        Assert.True(await raw.Store.ExistsAsync("applicant:a", unreadable.Id, default));
        await Assert.ThrowsAsync<PersonalDataUnreadableException>(() => raw.Store.GetAsync("applicant:a", unreadable.Id, default));
    }

    // SQLite only: the Cosmos DB test server cannot do this (StoreTargets), and a case that runs only against a real
    // account never runs here; the Cosmos side is CosmosQueryTests'.
    [Fact]
    public async Task AnotherOwnersOrAMissingDocument_DoesNotExist()
    {
        var (_, applications) = await StoreTargets.CreateAsync(StoreTargets.Sqlite);
        var written = TestData.Application("applicant:a", T0);
        await applications.CreateAsync(written, default);

        Assert.False(await applications.ExistsAsync("applicant:b", written.Id, default));
        Assert.False(await applications.ExistsAsync("applicant:a", Guid.NewGuid().ToString("N"), default));
    }
}
