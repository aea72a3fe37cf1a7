using Ali.Serverless.Licences;

namespace Ali.Serverless.Adapters.Tests;

/// <summary>
/// What a licence store must do, on SQLite and on Cosmos DB: keep every field (the signature must still
/// verify), store an id once, refuse a second licence with a taken number, replace only the version read,
/// and list a holder's licences newest first. A point read of a missing id runs on Cosmos only against a
/// real account (the local test server answers it with a 500).
/// </summary>
public sealed class LicenceStoreContractTests
{
    private static Licence Licence(string id, string number, string? holder, int minutes, DateOnly? validUntil = null) => new()
    {
        Content = new LicenceContent
        {
            Id = id,
            TypeCode = "GTGSHYYZZ",
            TypeName = "个体工商户营业执照",
            Number = number,
            Holder = new LicenceHolder("natural-person", "次仁卓玛", "1101**********002X"),
            IssuerDepartmentCode = "542500-SCJGJ",
            IssuerDepartmentName = "阿里地区市场监督管理局",
            DivisionCode = "542500",
            IssuedOn = new DateOnly(2026, 6, 1),
            ValidFrom = new DateOnly(2026, 6, 1),
            ValidUntil = validUntil,
            CaseNumber = "542500-20260601-ABCDEF0123",
            ItemCode = "542500-SCJGJ-01001",
            Data = new Dictionary<string, string> { ["名称"] = "阿里高原牧家小卖部", ["经营场所"] = "狮泉河镇 \"东\" 路" },
            KeyId = "kid-1",
        },
        Signature = "c2lnbmF0dXJl",
        HolderAccountId = holder,
        ApplicationId = "0192a7b3c4d5e6f70192a7b3c4d5e6f1",
        OwnerId = holder is null ? "hall:542523-ZWFWZX" : $"applicant:{holder}",
        IssuedAt = new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.FromHours(8)).AddMinutes(minutes).AddTicks(1234567),
    };

    private static string Id(int i) => $"{i:x32}";

    [Theory]
    [MemberData(nameof(StoreTargets.All), MemberType = typeof(StoreTargets))]
    public async Task A_licence_is_stored_once_with_every_field_and_its_number_is_unique(string target)
    {
        var store = await StoreTargets.CreateLicenceStoreAsync(target);
        var licence = Licence(Id(1), "GTGSHYYZZ-542500-2026-00000001", "user-1", 0, new DateOnly(2031, 5, 31));

        Assert.Equal(LicenceCreateOutcome.Created, (await store.CreateAsync(licence, default)).Outcome);
        var stored = await store.GetAsync(licence.Id, default);
        Assert.Equal(licence.Content.CanonicalBytes(), stored!.Value.Content.CanonicalBytes());
        Assert.Equal((licence.Signature, licence.HolderAccountId, licence.IssuedAt, licence.OwnerId), (stored.Value.Signature, stored.Value.HolderAccountId, stored.Value.IssuedAt, stored.Value.OwnerId));

        // The same licence again (an outbox run twice), even signed anew: the first one stays.
        var again = await store.CreateAsync(licence with { Signature = "b3RoZXI" }, default);
        Assert.Equal(LicenceCreateOutcome.AlreadyIssued, again.Outcome);
        Assert.Equal(licence.Signature, again.Existing!.Value.Signature);

        // Another licence with the same number is refused.
        var clash = await store.CreateAsync(Licence(Id(2), licence.Content.Number, "user-2", 1), default);
        Assert.Equal(LicenceCreateOutcome.NumberTaken, clash.Outcome);
        Assert.Empty(await store.ListByHolderAsync("user-2", default));
    }

    [Theory]
    [MemberData(nameof(StoreTargets.All), MemberType = typeof(StoreTargets))]
    public async Task A_revocation_replaces_only_the_version_read(string target)
    {
        var store = await StoreTargets.CreateLicenceStoreAsync(target);
        var licence = Licence(Id(3), "GTGSHYYZZ-542500-2026-00000003", "user-3", 0);
        await store.CreateAsync(licence, default);
        var read = (await store.GetAsync(licence.Id, default))!;
        var revoked = licence with { Revocation = new LicenceRevocation("吊销", "reviewer-1", "542500-SCJGJ", new DateTimeOffset(2026, 7, 1, 9, 0, 0, TimeSpan.Zero)) };

        var saved = await store.ReplaceAsync(revoked, read.ETag, default);
        var stale = await store.ReplaceAsync(licence, read.ETag, default);

        Assert.NotNull(saved);
        Assert.Null(stale);
        Assert.Equal(revoked.Revocation, (await store.GetAsync(licence.Id, default))!.Value.Revocation);
    }

    [Theory]
    [MemberData(nameof(StoreTargets.All), MemberType = typeof(StoreTargets))]
    public async Task A_holders_licences_are_listed_newest_first_and_nobody_elses(string target)
    {
        var store = await StoreTargets.CreateLicenceStoreAsync(target);
        await store.CreateAsync(Licence(Id(4), "GTGSHYYZZ-542500-2026-00000004", "user-4", 0), default);
        await store.CreateAsync(Licence(Id(5), "GTGSHYYZZ-542500-2026-00000005", "user-4", 30), default);
        await store.CreateAsync(Licence(Id(6), "GTGSHYYZZ-542500-2026-00000006", "user-5", 10), default);
        await store.CreateAsync(Licence(Id(7), "GTGSHYYZZ-542500-2026-00000007", null, 20), default);

        Assert.Equal([Id(5), Id(4)], (await store.ListByHolderAsync("user-4", default)).Select(l => l.Id));
        Assert.Equal([Id(6)], (await store.ListByHolderAsync("user-5", default)).Select(l => l.Id));
        Assert.Empty(await store.ListByHolderAsync("user-6", default));
    }

    [Theory]
    [MemberData(nameof(StoreTargets.BeyondTestServer), MemberType = typeof(StoreTargets))]
    public async Task An_unknown_id_is_not_found(string target)
    {
        var store = await StoreTargets.CreateLicenceStoreAsync(target);

        Assert.Null(await store.GetAsync(Id(8), default));
        Assert.Null(await store.ReplaceAsync(Licence(Id(8), "GTGSHYYZZ-542500-2026-00000008", "user-8", 0), "\"nope\"", default));
    }
}
