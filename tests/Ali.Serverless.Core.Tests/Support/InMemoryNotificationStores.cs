using Ali.Serverless.Applications;
using Ali.Serverless.Notifications;

namespace Ali.Serverless.Core.Tests.Support;

/// <summary>Notifications by (recipient, id) with ETags, as the real stores keep them.</summary>
internal sealed class InMemoryNotificationStore : INotificationStore
{
    private readonly Dictionary<(string Recipient, string Id), Stored<Notification>> _items = [];
    private int _version;

    public IEnumerable<Notification> All => _items.Values.Select(s => s.Value);

    public Task<bool> CreateAsync(Notification notification, CancellationToken cancellationToken)
    {
        if (_items.ContainsKey((notification.Recipient, notification.Id)))
        {
            return Task.FromResult(false);
        }
        _items[(notification.Recipient, notification.Id)] = new(notification, $"\"n{++_version}\"");
        return Task.FromResult(true);
    }

    public Task<Stored<Notification>?> GetAsync(string recipient, string id, CancellationToken cancellationToken) =>
        Task.FromResult(_items.GetValueOrDefault((recipient, id)));

    public Task<Stored<Notification>?> ReplaceAsync(Notification notification, string etag, CancellationToken cancellationToken)
    {
        if (!_items.TryGetValue((notification.Recipient, notification.Id), out var current) || current.ETag != etag)
        {
            return Task.FromResult<Stored<Notification>?>(null);
        }
        var stored = new Stored<Notification>(notification, $"\"n{++_version}\"");
        _items[(notification.Recipient, notification.Id)] = stored;
        return Task.FromResult<Stored<Notification>?>(stored);
    }

    public Task<Page<Notification>> ListAsync(string recipient, NotificationQuery query, int pageSize, string? continuationToken, CancellationToken cancellationToken) =>
        Task.FromResult(new Page<Notification>(All
            .Where(n => n.Recipient == recipient && (query.Channel is null || n.Channel == query.Channel) && (!query.UnreadOnly || n.ReadAt is null)
                && (query.ApplicationId is null || n.ApplicationId == query.ApplicationId))
            .OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(pageSize).ToList(), null));

    public Task<IReadOnlyList<Notification>> ListSmsToSendAsync(DateTimeOffset now, DateTimeOffset createdBefore, int max, CancellationToken cancellationToken)
    {
        IReadOnlyList<Notification> due = All.Where(n => n.Channel == NotificationChannel.Sms && n.Status == NotificationStatuses.Created
            && n.CreatedAt < createdBefore && (n.NotBefore is null || n.NotBefore <= now)).Take(max).ToList();
        return Task.FromResult(due);
    }

    public Task<IReadOnlyList<Notification>> ListSmsClaimedBeforeAsync(DateTimeOffset claimedBefore, int max, CancellationToken cancellationToken)
    {
        IReadOnlyList<Notification> claimed = All.Where(n => n.Channel == NotificationChannel.Sms && n.Status == NotificationStatuses.Sending
            && n.SentAt is null && n.UpdatedAt < claimedBefore).Take(max).ToList();
        return Task.FromResult(claimed);
    }

    public Task<Notification?> FindByProviderMessageIdAsync(string providerMessageId, CancellationToken cancellationToken) =>
        Task.FromResult(All.FirstOrDefault(n => n.ProviderMessageId == providerMessageId));

    public Task<int> CountSmsSentAsync(string phoneKey, DateTimeOffset since, CancellationToken cancellationToken) =>
        Task.FromResult(All.Count(n => n.PhoneKey == phoneKey && n.SentAt >= since));

    public Task<IReadOnlyList<NotificationCount>> CountAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<NotificationCount> counts = All.GroupBy(n => (n.Channel, n.Status, n.FellBack))
            .Select(g => new NotificationCount(g.Key.Channel, g.Key.Status, g.Key.FellBack, g.Count())).ToList();
        return Task.FromResult(counts);
    }
}

internal sealed class InMemoryPreferenceStore : IPreferenceStore
{
    public Dictionary<string, Preferences> Items { get; } = [];

    public Task<Preferences?> GetAsync(string subjectKey, CancellationToken cancellationToken) => Task.FromResult(Items.GetValueOrDefault(subjectKey));

    public Task PutAsync(Preferences preferences, CancellationToken cancellationToken)
    {
        Items[preferences.SubjectKey] = preferences;
        return Task.CompletedTask;
    }
}

/// <summary>An SMS gateway that answers from a script (then Accepted), and records what it was asked to send.</summary>
internal sealed class ScriptedSmsGateway : ISmsGateway
{
    public Queue<SmsSendOutcome> Script { get; } = new();
    public List<SmsMessage> Sent { get; } = [];
    public SmsSendOutcome? Always { get; set; }

    public Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        Sent.Add(message);
        var outcome = Always ?? (Script.Count > 0 ? Script.Dequeue() : SmsSendOutcome.Accepted);
        return Task.FromResult(new SmsSendResult(outcome, outcome == SmsSendOutcome.Accepted ? $"sid-{Sent.Count}" : null, outcome == SmsSendOutcome.Accepted ? null : "gateway said no"));
    }
}
