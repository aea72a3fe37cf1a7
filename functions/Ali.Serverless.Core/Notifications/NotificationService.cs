using System.Text.Json;
using Ali.Serverless.Applications;
using Ali.Serverless.Cases;
using Ali.Serverless.Catalog;
using Ali.Serverless.Common;
using Ali.Serverless.Identity;
using Ali.Serverless.Operations;
using Ali.Serverless.Storage;
using Ali.Serverless.Supervision;
using Ali.Serverless.WorkingDays;

namespace Ali.Serverless.Notifications;

/// <summary>The message on the notification-deliveries queue: which SMS to send now.</summary>
public sealed record DeliveryRequest(string Recipient, string NotificationId)
{
    /// <summary>The span that queued it, in the case's trace (decision 20); null from before tracing.</summary>
    public string? TraceParent { get; init; }
}

/// <summary>
/// Notifications off the request path: case events and warnings become inbox entries and SMS (made
/// once per event, recipient and channel); SMS are delivered with retries, quiet hours and a daily
/// limit; receipts update them; callers read their inbox. A failing gateway never touches the case.
/// </summary>
public sealed class NotificationService(
    INotificationStore notifications,
    IPreferenceStore preferences,
    IApplicationStore applications,
    ICatalogStore catalog,
    NotificationPlanner planner,
    ISmsGateway gateway,
    IWorkQueue queues,
    TimeProvider clock,
    NotificationOptions options,
    LinkedApplications linked)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>How long a created SMS may wait for its delivery message before the relay sends one.</summary>
    public static readonly TimeSpan RelayGrace = TimeSpan.FromMinutes(1);

    /// <summary>Makes the notifications of one case event. Returns how many were new (0 for a repeated event).</summary>
    public async Task<int> HandleCaseEventAsync(CaseEventMessage message, CancellationToken cancellationToken)
    {
        var context = await ContextAsync(message.OwnerId, message.ApplicationId, cancellationToken);
        return context is null ? 0 : await StoreAsync(planner.ForCaseEvent(message, context), message.TraceParent, cancellationToken);
    }

    /// <summary>Makes the notifications of one supervision warning, for the responsible department and the supervisors.</summary>
    public async Task<int> HandleWarningAsync(SupervisionWarning warning, CancellationToken cancellationToken)
    {
        var context = await ContextAsync(warning.OwnerId, warning.ApplicationId, cancellationToken);
        return context is null ? 0 : await StoreAsync(planner.ForWarning(warning, context), warning.TraceParent, cancellationToken);
    }

    private async Task<NotificationPlanner.Context?> ContextAsync(string ownerId, string applicationId, CancellationToken cancellationToken)
    {
        var stored = await applications.GetAsync(ownerId, applicationId, cancellationToken);
        if (stored is null)
        {
            return null;
        }
        var item = await catalog.GetAsync(stored.Value.ItemCode, cancellationToken);
        // The applicant's own preference, else the language of their own requests, else Chinese.
        var preference = await preferences.GetAsync(stored.Value.OwnerId, cancellationToken);
        var language = preference?.Language ?? stored.Value.Language ?? Language.Chinese;
        return new NotificationPlanner.Context(stored.Value, item, language, clock.GetUtcNow());
    }

    private async Task<int> StoreAsync(IReadOnlyList<Notification> planned, string? traceParent, CancellationToken cancellationToken)
    {
        var created = 0;
        foreach (var made in planned)
        {
            var notification = made with { TraceParent = traceParent };
            var isNew = await notifications.CreateAsync(notification, cancellationToken);
            created += isNew ? 1 : 0;
            if (notification.Channel == NotificationChannel.Sms && (isNew || await StillToSendAsync(notification, cancellationToken)))
            {
                // A crash before this send leaves the SMS 'created': the relay sends its message later.
                await QueueDeliveryAsync(notification, cancellationToken);
            }
        }
        return created;
    }

    private async Task<bool> StillToSendAsync(Notification notification, CancellationToken cancellationToken) =>
        (await notifications.GetAsync(notification.Recipient, notification.Id, cancellationToken))?.Value.Status == NotificationStatuses.Created;

    private Task QueueDeliveryAsync(Notification notification, CancellationToken cancellationToken) =>
        queues.SendAsync(StorageNames.NotificationDeliveriesQueue,
            JsonSerializer.Serialize(new DeliveryRequest(notification.Recipient, notification.Id)
            {
                // The current span when it is the case's (the notifications trigger), else the case's own (the relay).
                TraceParent = CaseTelemetry.TraceParentFor(notification.TraceParent),
            }, DocumentJson.Options), cancellationToken);

    /// <summary>
    /// Sends one SMS: held through quiet hours and past the daily limit; tried up to the configured number
    /// of times with exponential backoff and jitter; then a final state. Safe to run twice: only a
    /// notification still 'created' is sent.
    /// </summary>
    public async Task<Notification?> DeliverAsync(DeliveryRequest request, CancellationToken cancellationToken)
    {
        var stored = await notifications.GetAsync(request.Recipient, request.NotificationId, cancellationToken);
        if (stored is null || stored.Value.Channel != NotificationChannel.Sms || stored.Value.Status != NotificationStatuses.Created)
        {
            return stored?.Value;
        }
        var now = clock.GetUtcNow();
        var notification = stored.Value;
        if (notification.NotBefore > now)
        {
            return notification;
        }
        if (options.QuietUntil(now) is { } morning)
        {
            return await SaveAsync(stored, notification with { NotBefore = morning, UpdatedAt = now }, cancellationToken);
        }
        var today = new DateTimeOffset(ChinaTime.DateOf(now).ToDateTime(TimeOnly.MinValue), ChinaTime.Offset);
        if (notification.PhoneKey is { } key && await notifications.CountSmsSentAsync(key, today, cancellationToken) >= options.MaxSmsPerPhonePerDay)
        {
            var tomorrow = today.AddDays(1).AddHours(options.QuietHoursEnd);
            return await SaveAsync(stored, notification with { NotBefore = tomorrow, UpdatedAt = now }, cancellationToken);
        }

        var context = await ContextAsync(notification.OwnerId, notification.ApplicationId, cancellationToken);
        // The number is read from the case now, used for this call, and kept nowhere else.
        var phone = context?.Case.Applicant.Phone;
        if (context is null || string.IsNullOrWhiteSpace(phone))
        {
            return await SaveAsync(stored, Final(notification, NotificationStatuses.PermanentFailure, "The application records no phone number.", now), cancellationToken);
        }
        // The claim's write gives the new ETag: the final write needs no second read.
        var current = await notifications.ReplaceAsync(notification with { Status = NotificationStatuses.Sending, UpdatedAt = now }, stored.ETag, cancellationToken);
        if (current is null)
        {
            return null; // Another delivery took it.
        }
        var message = new SmsMessage(notification.Id, phone, notification.TemplateId, notification.Language, notification.Body, planner.SmsParameters(notification, context));
        // The send is a span of the case's trace, the gateway's HTTP call its child; never the number or the text.
        using var span = CaseTelemetry.StartCaseSpan("notification SendSms", notification.TraceParent);
        span?.SetTag(CaseTelemetry.CaseNumberTag, notification.CaseNumber);
        span?.SetTag(CaseTelemetry.NotificationEventTag, notification.Event);
        span?.SetTag(CaseTelemetry.TemplateTag, notification.TemplateId);
        var attempts = new List<DeliveryAttempt>(notification.Attempts);
        for (var attempt = 1; ; attempt++)
        {
            SmsSendResult result;
            try
            {
                result = await gateway.SendAsync(message, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                result = new SmsSendResult(SmsSendOutcome.Retryable, null, $"The gateway failed: {e.GetType().Name}.");
            }
            var at = clock.GetUtcNow();
            attempts.Add(new DeliveryAttempt(attempt, at, result.Outcome.ToString().ToLowerInvariant(), result.Detail));
            Notification next;
            if (result.Outcome == SmsSendOutcome.Accepted)
            {
                next = current.Value with
                {
                    Status = options.ProviderSendsReceipts ? NotificationStatuses.Sending : NotificationStatuses.Delivered,
                    SentAt = at,
                    DeliveredAt = options.ProviderSendsReceipts ? null : at,
                    ProviderMessageId = result.ProviderMessageId,
                    Attempts = attempts,
                    UpdatedAt = at,
                };
            }
            else if (result.Outcome == SmsSendOutcome.Refused || attempt >= options.MaxAttempts)
            {
                next = Final(current.Value with { Attempts = attempts }, NotificationStatuses.PermanentFailure, result.Detail, at);
            }
            else
            {
                await Task.Delay(options.Backoff(attempt, Random.Shared.NextDouble()), clock, cancellationToken);
                continue;
            }
            span?.SetTag(CaseTelemetry.AttemptsTag, attempt);
            span?.SetTag(CaseTelemetry.DeliveryStatusTag, next.Status);
            return await SaveAsync(current, next, cancellationToken);
        }
    }

    private static Notification Final(Notification notification, string status, string? detail, DateTimeOffset at) =>
        notification with
        {
            Status = status,
            UpdatedAt = at,
            Attempts = notification.Attempts.Count > 0 ? notification.Attempts : [new DeliveryAttempt(0, at, status, detail)],
        };

    private async Task<Notification?> SaveAsync(Stored<Notification> stored, Notification next, CancellationToken cancellationToken) =>
        (await notifications.ReplaceAsync(next, stored.ETag, cancellationToken))?.Value;

    /// <summary>Queues every SMS whose time has come and that has no delivery under way. Returns them.</summary>
    public async Task<int> RelayAsync(int max, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await ReleaseInterruptedAsync(now, max, cancellationToken);
        var due = await notifications.ListSmsToSendAsync(now, now - RelayGrace, max, cancellationToken);
        foreach (var notification in due)
        {
            await QueueDeliveryAsync(notification, cancellationToken);
        }
        return due.Count;
    }

    /// <summary>
    /// Makes SMS whose delivery was interrupted (claimed, never accepted, the claim long past) 'created' again,
    /// with the interruption recorded as an attempt, so the relay sends them. If the provider did take one just
    /// before the crash, the person gets it twice: at least once is preferred to never (decision 9).
    /// </summary>
    private async Task ReleaseInterruptedAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        foreach (var claimed in await notifications.ListSmsClaimedBeforeAsync(now - options.InterruptedAfter, max, cancellationToken))
        {
            var stored = await notifications.GetAsync(claimed.Recipient, claimed.Id, cancellationToken);
            if (stored is not { Value: { Status: NotificationStatuses.Sending, SentAt: null } notification } || notification.UpdatedAt >= now - options.InterruptedAfter)
            {
                continue;
            }
            var interrupted = new DeliveryAttempt(notification.Attempts.Count + 1, now, "interrupted", "The delivery stopped before the provider answered; it is sent again.");
            // Lost to a concurrent change (a late receipt, another relay): nothing to do.
            await SaveAsync(stored, notification with { Status = NotificationStatuses.Created, Attempts = [.. notification.Attempts, interrupted], UpdatedAt = now }, cancellationToken);
        }
    }

    /// <summary>Applies a provider's delivery receipts: delivered, or a temporary failure (the handset did not take it).</summary>
    public async Task<int> ApplyReceiptsAsync(IReadOnlyList<DeliveryReceipt> receipts, CancellationToken cancellationToken)
    {
        var applied = 0;
        foreach (var receipt in receipts)
        {
            var found = await notifications.FindByProviderMessageIdAsync(receipt.ProviderMessageId, cancellationToken);
            if (found is null)
            {
                continue;
            }
            var stored = await notifications.GetAsync(found.Recipient, found.Id, cancellationToken);
            if (stored is null || NotificationStatuses.IsFinal(stored.Value.Status) && stored.Value.Status != NotificationStatuses.Delivered && receipt.Delivered is false)
            {
                continue;
            }
            var at = receipt.ReportedAt ?? clock.GetUtcNow();
            var next = stored.Value with
            {
                Status = receipt.Delivered ? NotificationStatuses.Delivered : NotificationStatuses.TemporaryFailure,
                DeliveredAt = receipt.Delivered ? at : null,
                UpdatedAt = clock.GetUtcNow(),
            };
            applied += await SaveAsync(stored, next, cancellationToken) is null ? 0 : 1;
        }
        return applied;
    }

    /// <summary>The inbox a caller reads: their own, their hall's, their department's, or the supervisors'.</summary>
    public static string? InboxOf(Caller caller) => caller.Role switch
    {
        Roles.Applicant or Roles.WindowClerk => caller.OwnerId,
        Roles.Reviewer or Roles.DepartmentSystem => NotificationPlanner.DepartmentRecipient(caller.Department!),
        Roles.Supervisor => NotificationPlanner.Supervisors,
        _ => null,
    };

    public async Task<Result<Page<Notification>>> InboxAsync(Caller caller, string? unread, int? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        bool? unreadOnly = unread switch { null => false, "true" => true, "false" => false, _ => null };
        if (unreadOnly is null)
        {
            errors.Add("unread", "unread is true or false.");
        }
        return await ListAsync(InboxOf(caller)!, new NotificationQuery(NotificationChannel.Inbox, unreadOnly ?? false), pageSize, continuationToken, errors, cancellationToken);
    }

    /// <summary>What was sent about one of the caller's applications, on every channel, with its status.</summary>
    public async Task<Result<Page<Notification>>> ForApplicationAsync(Caller caller, string applicationId, int? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        // Own, or a window application linked by the caller's verified identity number (一号): what was sent
        // about it is listed under its owner, the hall. Only ownership is checked: the list shows no personal data
        // of the application, so its document is not read and decrypted for it.
        var owner = await linked.FindReadableOwnerAsync(caller, applicationId, cancellationToken);
        if (owner is null)
        {
            return Result<Page<Notification>>.Fail(Problem.NotFound($"Application '{applicationId}'"));
        }
        return await ListAsync(owner, new NotificationQuery(ApplicationId: applicationId), pageSize, continuationToken, new FieldErrors(), cancellationToken);
    }

    private async Task<Result<Page<Notification>>> ListAsync(string recipient, NotificationQuery query, int? pageSize, string? continuationToken, FieldErrors errors, CancellationToken cancellationToken)
    {
        var size = pageSize ?? DefaultPageSize;
        if (size is < 1 or > MaxPageSize)
        {
            errors.Add("pageSize", $"pageSize is between 1 and {MaxPageSize}.");
        }
        if (errors.Any)
        {
            return Result<Page<Notification>>.Fail(errors.ToProblem());
        }
        try
        {
            return await notifications.ListAsync(recipient, query, size, continuationToken, cancellationToken);
        }
        catch (InvalidContinuationTokenException)
        {
            return Result<Page<Notification>>.Fail(Problem.InvalidField("continuationToken", "The continuation token is not one this list issued."));
        }
    }

    /// <summary>Marks an inbox entry read; reading it again changes nothing.</summary>
    public async Task<Result<Notification>> MarkReadAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        var recipient = InboxOf(caller)!;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var stored = Ids.IsIssued(id) ? await notifications.GetAsync(recipient, id, cancellationToken) : null;
            if (stored is null || stored.Value.Channel != NotificationChannel.Inbox)
            {
                return Problem.NotFound($"Notification '{id}'");
            }
            if (stored.Value.ReadAt is not null)
            {
                return stored.Value;
            }
            var now = clock.GetUtcNow();
            if (await SaveAsync(stored, stored.Value with { ReadAt = now, UpdatedAt = now }, cancellationToken) is { } saved)
            {
                return saved;
            }
        }
        return Problem.ConcurrentChange($"Notification '{id}'");
    }

    /// <summary>Whose preferences a caller sets: an applicant's (or a hall's) account, else the staff member.</summary>
    public static string PreferenceKeyOf(Caller caller) => Roles.ApplicantSide.Contains(caller.Role) ? caller.OwnerId : $"staff:{caller.Subject}";

    public async Task<Result<Preferences>> SetPreferencesAsync(Caller caller, PreferencesRequest request, CancellationToken cancellationToken)
    {
        if (!Language.IsSupported(request.Language))
        {
            return Problem.InvalidField("language", "language is zh (Chinese) or bo (Tibetan).");
        }
        var preferences1 = new Preferences(PreferenceKeyOf(caller), request.Language!, clock.GetUtcNow());
        await preferences.PutAsync(preferences1, cancellationToken);
        return preferences1;
    }

    public async Task<Preferences> GetPreferencesAsync(Caller caller, CancellationToken cancellationToken) =>
        await preferences.GetAsync(PreferenceKeyOf(caller), cancellationToken)
        ?? new Preferences(PreferenceKeyOf(caller), caller.Language ?? Language.Chinese, DateTimeOffset.MinValue);

    public Task<IReadOnlyList<NotificationCount>> CountsAsync(CancellationToken cancellationToken) => notifications.CountAsync(cancellationToken);
}

public sealed record PreferencesRequest(string? Language);
