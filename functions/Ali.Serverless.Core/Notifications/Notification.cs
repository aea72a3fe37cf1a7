using System.Text.Json.Serialization;
using Ali.Serverless.Applications;

namespace Ali.Serverless.Notifications;

public enum NotificationChannel
{
    /// <summary>The in-app inbox: always written, the full text.</summary>
    [JsonStringEnumMemberName("inbox")] Inbox,
    /// <summary>A short SMS to the phone the application records.</summary>
    [JsonStringEnumMemberName("sms")] Sms,
}

/// <summary>Delivery statuses, in GOV.UK Notify's vocabulary.</summary>
public static class NotificationStatuses
{
    public const string Created = "created";
    public const string Sending = "sending";
    public const string Delivered = "delivered";
    public const string TemporaryFailure = "temporary-failure";
    public const string PermanentFailure = "permanent-failure";
    public const string TechnicalFailure = "technical-failure";

    public static readonly IReadOnlyList<string> All = [Created, Sending, Delivered, TemporaryFailure, PermanentFailure, TechnicalFailure];

    public static bool IsFinal(string status) => status is Delivered or TemporaryFailure or PermanentFailure or TechnicalFailure;
}

/// <summary>One try to hand an SMS to the provider.</summary>
public sealed record DeliveryAttempt(int Number, DateTimeOffset At, string Outcome, string? Detail);

/// <summary>
/// One message to one recipient on one channel, made from one event. Its id is derived from the
/// event, recipient and channel, so the same event delivered twice makes it once. It keeps the text
/// as sent, the template id and version it came from, and for SMS only a masked phone number.
/// </summary>
public sealed record Notification
{
    public required string Id { get; init; }

    /// <summary>Partition: <c>applicant:{sub}</c>, <c>hall:{department}</c>, <c>department:{code}</c> or <c>supervisors</c>.</summary>
    public required string Recipient { get; init; }

    public required NotificationChannel Channel { get; init; }
    public required string Event { get; init; }

    /// <summary>The event's id on its queue (a case event's eventId, or a warning's id).</summary>
    public required string SourceId { get; init; }

    public required string CaseNumber { get; init; }
    public required string ApplicationId { get; init; }

    /// <summary>Partition of the application, to read the phone number at sending time.</summary>
    public required string OwnerId { get; init; }

    public string? TaskId { get; init; }
    public required string TemplateId { get; init; }
    public required int TemplateVersion { get; init; }
    public required string Language { get; init; }

    /// <summary>Tibetan was wanted but the template has none: the Chinese text was used.</summary>
    public bool FellBack { get; init; }

    public required string Title { get; init; }
    public required string Body { get; init; }
    public required string Status { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Not to be sent before this instant (quiet hours, the daily limit).</summary>
    public DateTimeOffset? NotBefore { get; init; }

    public DateTimeOffset? ReadAt { get; init; }
    public DateTimeOffset? SentAt { get; init; }
    public DateTimeOffset? DeliveredAt { get; init; }

    /// <summary>SMS: first three and last four digits only.</summary>
    public string? PhoneMasked { get; init; }

    /// <summary>SMS: keyed hash of the phone number, to count messages per number per day without keeping it.</summary>
    public string? PhoneKey { get; init; }

    public string? ProviderMessageId { get; init; }
    public IReadOnlyList<DeliveryAttempt> Attempts { get; init; } = [];

    /// <summary>
    /// The traceparent of the event that made it (decision 20): its SMS is sent in the case's trace, even
    /// when a relay timer queues it hours later. Null for an event from before tracing.
    /// </summary>
    public string? TraceParent { get; init; }
}

/// <summary>Notifications partitioned by recipient: an inbox is one partition, newest first.</summary>
public interface INotificationStore
{
    /// <summary>Stores a new notification; false when one with the same id exists (the event was seen before).</summary>
    Task<bool> CreateAsync(Notification notification, CancellationToken cancellationToken);

    Task<Stored<Notification>?> GetAsync(string recipient, string id, CancellationToken cancellationToken);

    /// <summary>Replaces it if it still has <paramref name="etag"/>; null when someone else changed it.</summary>
    Task<Stored<Notification>?> ReplaceAsync(Notification notification, string etag, CancellationToken cancellationToken);

    /// <summary>One recipient's notifications, newest first, narrowed by channel, unread (inbox) and application.</summary>
    Task<Page<Notification>> ListAsync(string recipient, NotificationQuery query, int pageSize, string? continuationToken, CancellationToken cancellationToken);

    /// <summary>SMS still to send (status created) whose time has come, created before <paramref name="createdBefore"/>. Relay timer only.</summary>
    Task<IReadOnlyList<Notification>> ListSmsToSendAsync(DateTimeOffset now, DateTimeOffset createdBefore, int max, CancellationToken cancellationToken);

    /// <summary>
    /// SMS claimed for sending (status sending, never accepted by the provider: no SentAt) whose claim was
    /// last written before <paramref name="claimedBefore"/>. Relay timer only.
    /// </summary>
    Task<IReadOnlyList<Notification>> ListSmsClaimedBeforeAsync(DateTimeOffset claimedBefore, int max, CancellationToken cancellationToken);

    /// <summary>The SMS the provider knows by this id (delivery receipts).</summary>
    Task<Notification?> FindByProviderMessageIdAsync(string providerMessageId, CancellationToken cancellationToken);

    /// <summary>SMS handed to the provider for this phone key since <paramref name="since"/>.</summary>
    Task<int> CountSmsSentAsync(string phoneKey, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Counts by channel and status, and how many fell back to Chinese. Operators only.</summary>
    Task<IReadOnlyList<NotificationCount>> CountAsync(CancellationToken cancellationToken);
}

public sealed record NotificationQuery(NotificationChannel? Channel = null, bool UnreadOnly = false, string? ApplicationId = null);

public sealed record NotificationCount(NotificationChannel Channel, string Status, bool FellBack, int Count);

/// <summary>A person's (or account's) settings: for now the language they want to be told in.</summary>
public sealed record Preferences(string SubjectKey, string Language, DateTimeOffset UpdatedAt);

public interface IPreferenceStore
{
    Task<Preferences?> GetAsync(string subjectKey, CancellationToken cancellationToken);

    Task PutAsync(Preferences preferences, CancellationToken cancellationToken);
}
