using Ali.Serverless.Notifications;

namespace Ali.Serverless.Adapters.Tests;

/// <summary>What the notification and preference stores must do, on SQLite and on Cosmos DB.</summary>
public sealed class NotificationStoreContractTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 10, 2, 30, 0, TimeSpan.Zero);

    private static Notification Note(string id, string recipient = "applicant:citizen-1", NotificationChannel channel = NotificationChannel.Inbox, DateTimeOffset? at = null, string application = "0192a7b3c4d5e6f70192a7b3c4d5e6f1") => new()
    {
        Id = id,
        Recipient = recipient,
        Channel = channel,
        Event = "accepted",
        SourceId = "event-1",
        CaseNumber = "542500-20260310-ABCDEF0123",
        ApplicationId = application,
        OwnerId = "applicant:citizen-1",
        TemplateId = "accepted.applicant",
        TemplateVersion = 1,
        Language = "zh",
        Title = "申请已受理",
        Body = "您的办件已受理。",
        Status = channel == NotificationChannel.Inbox ? NotificationStatuses.Delivered : NotificationStatuses.Created,
        CreatedAt = at ?? T0,
        UpdatedAt = at ?? T0,
        PhoneMasked = channel == NotificationChannel.Sms ? "139****0000" : null,
        PhoneKey = channel == NotificationChannel.Sms ? "key-1" : null,
    };

    [Theory]
    [MemberData(nameof(StoreTargets.All), MemberType = typeof(StoreTargets))]
    public async Task Notification_IsCreatedOnce_AndReplacedOnlyWithItsETag(string target)
    {
        var store = (await StoreTargets.CreateCaseStoresAsync(target)).Notifications;
        var note = Note("n1", channel: NotificationChannel.Sms);

        Assert.True(await store.CreateAsync(note, default));
        Assert.False(await store.CreateAsync(note with { Title = "again" }, default));
        var stored = await store.GetAsync(note.Recipient, "n1", default);
        Assert.Equal(note.Title, stored!.Value.Title);

        var sending = await store.ReplaceAsync(stored.Value with { Status = NotificationStatuses.Sending }, stored.ETag, default);
        Assert.NotNull(sending);
        Assert.Null(await store.ReplaceAsync(stored.Value with { Status = NotificationStatuses.Delivered }, stored.ETag, default));
        Assert.Equal(NotificationStatuses.Sending, (await store.GetAsync(note.Recipient, "n1", default))!.Value.Status);
    }

    [Theory]
    [MemberData(nameof(StoreTargets.BeyondTestServer), MemberType = typeof(StoreTargets))]
    public async Task Inbox_IsOneRecipientsEntries_NewestFirst_Unread_AndByApplication(string target)
    {
        var store = (await StoreTargets.CreateCaseStoresAsync(target)).Notifications;
        await store.CreateAsync(Note("old", at: T0), default);
        await store.CreateAsync(Note("new", at: T0.AddMinutes(5)) with { ReadAt = T0.AddMinutes(6) }, default);
        await store.CreateAsync(Note("sms", channel: NotificationChannel.Sms, at: T0.AddMinutes(1)), default);
        await store.CreateAsync(Note("other-case", at: T0.AddMinutes(2), application: "1192a7b3c4d5e6f70192a7b3c4d5e6f1"), default);
        await store.CreateAsync(Note("someone-else", recipient: "applicant:citizen-2"), default);

        var inbox = await store.ListAsync("applicant:citizen-1", new NotificationQuery(NotificationChannel.Inbox), 2, null, default);
        var rest = await store.ListAsync("applicant:citizen-1", new NotificationQuery(NotificationChannel.Inbox), 2, inbox.ContinuationToken, default);
        var unread = await store.ListAsync("applicant:citizen-1", new NotificationQuery(NotificationChannel.Inbox, UnreadOnly: true), 10, null, default);
        var forCase = await store.ListAsync("applicant:citizen-1", new NotificationQuery(ApplicationId: "0192a7b3c4d5e6f70192a7b3c4d5e6f1"), 10, null, default);

        Assert.Equal(["new", "other-case"], inbox.Items.Select(n => n.Id));
        Assert.Equal(["old"], rest.Items.Select(n => n.Id));
        Assert.Equal(["other-case", "old"], unread.Items.Select(n => n.Id));
        Assert.Equal(["new", "sms", "old"], forCase.Items.Select(n => n.Id));
    }

    [Theory]
    [MemberData(nameof(StoreTargets.BeyondTestServer), MemberType = typeof(StoreTargets))]
    public async Task Sms_ClaimedAndNeverAccepted_AreFoundByTheTimeOfTheirClaim(string target)
    {
        var store = (await StoreTargets.CreateCaseStoresAsync(target)).Notifications;
        var created = Note("claimed", channel: NotificationChannel.Sms, at: T0);
        await store.CreateAsync(created, default);
        var stored = await store.GetAsync(created.Recipient, created.Id, default);
        await store.ReplaceAsync(created with { Status = NotificationStatuses.Sending, UpdatedAt = T0.AddMinutes(1) }, stored!.ETag, default);
        await store.CreateAsync(Note("accepted", channel: NotificationChannel.Sms, at: T0) with
            { Status = NotificationStatuses.Sending, SentAt = T0.AddMinutes(1), ProviderMessageId = "sid-1", UpdatedAt = T0.AddMinutes(1) }, default);
        await store.CreateAsync(Note("waiting", channel: NotificationChannel.Sms, at: T0), default);

        Assert.Empty(await store.ListSmsClaimedBeforeAsync(T0.AddMinutes(1), 10, default));
        Assert.Equal(["claimed"], (await store.ListSmsClaimedBeforeAsync(T0.AddMinutes(20), 10, default)).Select(n => n.Id));
    }

    [Theory]
    [MemberData(nameof(StoreTargets.BeyondTestServer), MemberType = typeof(StoreTargets))]
    public async Task Sms_ToSend_ByProviderId_AndCountedPerPhone(string target)
    {
        var store = (await StoreTargets.CreateCaseStoresAsync(target)).Notifications;
        await store.CreateAsync(Note("due", channel: NotificationChannel.Sms, at: T0), default);
        await store.CreateAsync(Note("held", channel: NotificationChannel.Sms, at: T0) with { NotBefore = T0.AddHours(5) }, default);
        await store.CreateAsync(Note("sent", channel: NotificationChannel.Sms, at: T0) with { Status = NotificationStatuses.Delivered, SentAt = T0.AddMinutes(1), ProviderMessageId = "sid-9" }, default);

        Assert.Equal(["due"], (await store.ListSmsToSendAsync(T0.AddMinutes(10), T0.AddMinutes(1), 10, default)).Select(n => n.Id));
        Assert.Equal(["due", "held"], (await store.ListSmsToSendAsync(T0.AddHours(6), T0.AddMinutes(1), 10, default)).Select(n => n.Id).Order());
        Assert.Equal("sent", (await store.FindByProviderMessageIdAsync("sid-9", default))!.Id);
        Assert.Null(await store.FindByProviderMessageIdAsync("sid-0", default));
        Assert.Equal(1, await store.CountSmsSentAsync("key-1", T0, default));
        Assert.Equal(0, await store.CountSmsSentAsync("key-1", T0.AddMinutes(2), default));
        var counts = await store.CountAsync(default);
        Assert.Equal(2, counts.Single(c => c.Channel == NotificationChannel.Sms && c.Status == NotificationStatuses.Created).Count);
    }

    [Theory]
    [MemberData(nameof(StoreTargets.All), MemberType = typeof(StoreTargets))]
    public async Task Preferences_AreKeptPerAccount(string target)
    {
        var store = (await StoreTargets.CreateCaseStoresAsync(target)).Preferences;

        await store.PutAsync(new Preferences("applicant:citizen/1", "bo", T0), default);
        await store.PutAsync(new Preferences("applicant:citizen/1", "zh", T0.AddMinutes(1)), default);

        Assert.Equal("zh", (await store.GetAsync("applicant:citizen/1", default))!.Language);
    }
}
