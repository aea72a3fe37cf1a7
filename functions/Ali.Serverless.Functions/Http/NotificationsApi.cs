using System.Text;
using Ali.Serverless.Adapters.Sms;
using Ali.Serverless.Applications;
using Ali.Serverless.Common;
using Ali.Serverless.Identity;
using Ali.Serverless.Notifications;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Ali.Serverless.Functions.Http;

/// <summary>Inboxes, what was sent about an application, language preferences, delivery receipts and operators' counts.</summary>
public sealed class NotificationsApi(Api api, NotificationService notifications, IDeliveryReceiptParser receipts, ReceiptCallbackToken receiptToken)
{
    [Function("ListMyNotifications")]
    public Task<IResult> Inbox([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/notifications")] HttpRequest request) =>
        api.RunAsync(request, "ListMyNotifications", async (caller, cancellationToken) =>
        {
            var result = await notifications.InboxAsync(caller, QueryValues.Text(request, "unread"), QueryValues.PageSize(request), QueryValues.ContinuationToken(request), cancellationToken);
            return Api.Reply(request, result, Page);
        });

    [Function("MarkNotificationRead")]
    public Task<IResult> MarkRead([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "me/notifications/{id}/read")] HttpRequest request, string id) =>
        api.RunAsync(request, "MarkNotificationRead", async (caller, cancellationToken) =>
            Api.Reply(request, await notifications.MarkReadAsync(caller, id, cancellationToken), NotificationView.From));

    [Function("ListApplicationNotifications")]
    public Task<IResult> ForApplication([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "applications/{id}/notifications")] HttpRequest request, string id) =>
        api.RunAsync(request, "ListApplicationNotifications", async (caller, cancellationToken) =>
            Api.Reply(request, await notifications.ForApplicationAsync(caller, id, QueryValues.PageSize(request), QueryValues.ContinuationToken(request), cancellationToken), Page));

    [Function("GetMyPreferences")]
    public Task<IResult> GetPreferences([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/preferences")] HttpRequest request) =>
        api.RunAsync(request, "GetMyPreferences", async (caller, cancellationToken) =>
            Results.Json(PreferencesView.From(await notifications.GetPreferencesAsync(caller, cancellationToken)), ApiJson.Options));

    [Function("SetMyPreferences")]
    public Task<IResult> SetPreferences([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "me/preferences")] HttpRequest request) =>
        api.RunAsync<PreferencesRequest>(request, "SetMyPreferences", async (caller, body, cancellationToken) =>
            Api.Reply(request, await notifications.SetPreferencesAsync(caller, body, cancellationToken), PreferencesView.From));

    [Function("GetNotificationCounts")]
    public Task<IResult> Counts([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/notifications")] HttpRequest request) =>
        api.RunAsync(request, "GetNotificationCounts", async (caller, cancellationToken) =>
        {
            var counts = await notifications.CountsAsync(cancellationToken);
            return Results.Json(new
            {
                counts = counts.GroupBy(c => (c.Channel, c.Status))
                    .Select(g => new { channel = g.Key.Channel == NotificationChannel.Sms ? "sms" : "inbox", status = g.Key.Status, count = g.Sum(c => c.Count) })
                    .OrderBy(c => c.channel, StringComparer.Ordinal).ThenBy(c => c.status, StringComparer.Ordinal).ToList(),
                // Notifications that wanted Tibetan and went out in Chinese for lack of a translation.
                tibetanFallbacks = counts.Where(c => c.FellBack).Sum(c => c.Count),
            }, ApiJson.Options);
        });

    /// <summary>
    /// The SMS provider's delivery receipts. The provider cannot hold a token of ours, so the callback URL
    /// carries a shared secret (<c>?token=</c>), compared in constant time.
    /// </summary>
    [Function("ReceiveSmsReceipts")]
    public Task<IResult> Receipts([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "notifications/receipts")] HttpRequest request) =>
        api.RunAsync(request, async cancellationToken =>
        {
            if (!receiptToken.Accepts(QueryValues.Text(request, "token")))
            {
                return ProblemResponse.From(new Problem(ProblemKind.Unauthorized, "unauthorized", "Authentication required.", "The receipt callback needs its token."), request);
            }
            // The provider's own format, whatever its Content-Type; read as any body is: at most
            // JsonBody.MaxBytes (413), and broken framing is a 400, not a failure of ours.
            var read = await JsonBody.ReadBytesAsync(request, cancellationToken);
            if (read.Problem is not null)
            {
                return ProblemResponse.From(read.Problem, request);
            }
            using var reader = new StreamReader(new MemoryStream(read.Bytes!), Encoding.UTF8);
            var body = await reader.ReadToEndAsync(cancellationToken);
            IReadOnlyList<DeliveryReceipt> parsed;
            try
            {
                parsed = receipts.Parse(body);
            }
            catch (FormatException e)
            {
                return ProblemResponse.From(Problem.InvalidField("body", e.Message), request);
            }
            await notifications.ApplyReceiptsAsync(parsed, cancellationToken);
            // The provider reads its own acknowledgement; anything else makes it send the receipts again.
            return Results.Text(receipts.Acknowledgement, "application/json");
        });

    private static object Page(Page<Notification> page) =>
        new { items = page.Items.Select(NotificationView.From).ToList(), continuationToken = page.ContinuationToken };
}

/// <summary>A notification as its recipient sees it: never the phone key, only the masked number.</summary>
public sealed record NotificationView(
    string Id, string Channel, string Event, string CaseNumber, string ApplicationId, string? TaskId, string TemplateId, int TemplateVersion,
    string Language, bool FellBack, string Title, string Body, string Status, DateTimeOffset CreatedAt, DateTimeOffset? NotBefore,
    DateTimeOffset? ReadAt, DateTimeOffset? SentAt, DateTimeOffset? DeliveredAt, string? PhoneMasked, int Attempts)
{
    public static NotificationView From(Notification n) => new(
        n.Id, n.Channel == NotificationChannel.Sms ? "sms" : "inbox", n.Event, n.CaseNumber, n.ApplicationId, n.TaskId, n.TemplateId, n.TemplateVersion,
        n.Language, n.FellBack, n.Title, n.Body, n.Status, n.CreatedAt, n.NotBefore, n.ReadAt, n.SentAt, n.DeliveredAt, n.PhoneMasked, n.Attempts.Count);
}

public sealed record PreferencesView(string Language)
{
    public static PreferencesView From(Preferences p) => new(p.Language);
}
