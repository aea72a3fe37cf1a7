using System.Text.Json;
using Ali.Serverless.Cases;
using Ali.Serverless.Common;
using Ali.Serverless.Core.Tests.Support;
using Ali.Serverless.Notifications;
using Ali.Serverless.Storage;

namespace Ali.Serverless.Core.Tests.Notifications;

/// <summary>The case harness plus notifications over in-memory stores and a scripted SMS gateway, with the shipped templates.</summary>
internal sealed class NotificationHarness
{
    public static readonly string TemplatesPath = Path.Combine(RepositoryRoot.Find(), "functions", "Ali.Serverless.Functions", "Notifications", "templates.json");

    public NotificationHarness(TemplateCatalog? templates = null)
    {
        Templates = templates ?? TemplateCatalog.Load(TemplatesPath);
        Options = new NotificationOptions { PhoneKeySecret = "test-phone-key"u8.ToArray(), RetryBaseDelay = TimeSpan.FromMilliseconds(1), MaxAttempts = 3, MaxSmsPerPhonePerDay = 3 };
        Planner = new NotificationPlanner(Templates, Options);
        Service = new NotificationService(Store, Preferences, Cases.Store, Cases.Intake.Catalog.Object, Planner, Gateway, Cases.Queue, Cases.Clock, Options, Cases.Intake.Linked);
    }

    public CaseHarness Cases { get; } = new();
    public TemplateCatalog Templates { get; }
    public NotificationOptions Options { get; }
    public NotificationPlanner Planner { get; }
    public InMemoryNotificationStore Store { get; } = new();
    public InMemoryPreferenceStore Preferences { get; } = new();
    public ScriptedSmsGateway Gateway { get; } = new();
    public NotificationService Service { get; }
    private int _eventsTaken;

    /// <summary>Hands every case event queued since the last call to the notification service, as the queue trigger would.</summary>
    public async Task NotifyQueuedEventsAsync()
    {
        var events = Cases.Queue.Sent.Where(s => s.Queue == StorageNames.CaseEventsQueue).Skip(_eventsTaken).ToList();
        _eventsTaken += events.Count;
        foreach (var (_, text) in events)
        {
            await Service.HandleCaseEventAsync(JsonSerializer.Deserialize<CaseEventMessage>(text, DocumentJson.Options)!, CancellationToken.None);
            Cases.Clock.Advance(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Delivers every SMS whose delivery message is queued, as the delivery trigger would.</summary>
    public async Task DeliverQueuedAsync()
    {
        var requests = Cases.Queue.Sent.Where(s => s.Queue == StorageNames.NotificationDeliveriesQueue).ToList();
        Cases.Queue.Sent.RemoveAll(s => s.Queue == StorageNames.NotificationDeliveriesQueue);
        foreach (var (_, text) in requests)
        {
            await Service.DeliverAsync(JsonSerializer.Deserialize<DeliveryRequest>(text, DocumentJson.Options)!, CancellationToken.None);
        }
    }

    public List<Notification> Inbox(string recipient) =>
        Store.All.Where(n => n.Recipient == recipient && n.Channel == NotificationChannel.Inbox).OrderBy(n => n.CreatedAt).ToList();

    public List<Notification> Sms() => Store.All.Where(n => n.Channel == NotificationChannel.Sms).OrderBy(n => n.CreatedAt).ToList();
}
