using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ali.Serverless.Applications;
using Ali.Serverless.Cases;
using Ali.Serverless.Catalog;
using Ali.Serverless.Common;
using Ali.Serverless.Supervision;
using Ali.Serverless.WorkingDays;

namespace Ali.Serverless.Notifications;

/// <summary>
/// Turns one case event or warning into the notifications it causes: who is told, on which channel, in
/// which language, with which template and text. Pure: reads nothing, writes nothing.
/// </summary>
public sealed class NotificationPlanner(TemplateCatalog templates, NotificationOptions options)
{
    /// <summary>Recipient key of the supervisors' shared inbox.</summary>
    public const string Supervisors = "supervisors";

    public static string DepartmentRecipient(string departmentCode) => $"department:{departmentCode}";

    /// <summary>What the planner needs to know about the case and the people involved.</summary>
    public sealed record Context(Application Case, ServiceItem? Item, string ApplicantLanguage, DateTimeOffset Now);

    public IReadOnlyList<Notification> ForCaseEvent(CaseEventMessage message, Context context)
    {
        var a = context.Case;
        var plans = new List<Notification>();
        switch (message.Type)
        {
            case CaseEventTypes.TaskAssigned:
                if (a.Tasks.FirstOrDefault(t => t.Id == message.TaskId) is { } task)
                {
                    plans.AddRange(Make(message.EventId, message.Type, Audiences.Department, DepartmentRecipient(task.DepartmentCode), Language.Chinese, context, task.Id,
                        new() { [Placeholders.TaskKind] = Term($"task.{TaskView.Wire(task.Kind)}", Language.Chinese), [Placeholders.DueDate] = Date(task.DueAt, Language.Chinese) }));
                }
                break;
            case CaseEventTypes.Withdrawn:
                plans.AddRange(ForApplicant(message, context));
                foreach (var department in a.Tasks.Where(t => t.State == TaskState.Cancelled).Select(t => t.DepartmentCode).Distinct())
                {
                    plans.AddRange(Make(message.EventId, message.Type, Audiences.Department, DepartmentRecipient(department), Language.Chinese, context, null, []));
                }
                break;
            case CaseEventTypes.EvaluationAppealed when a.Evaluation?.Appeal is { } appeal:
            {
                // The supervisors decide; the department is told its appeal arrived.
                Dictionary<string, string> Values() => new() { [Placeholders.Opinion] = appeal.Reason };
                plans.AddRange(Make(message.EventId, message.Type, Audiences.Supervisor, Supervisors, Language.Chinese, context, null, Values()));
                plans.AddRange(Make(message.EventId, message.Type, Audiences.Department, DepartmentRecipient(a.DepartmentCode), Language.Chinese, context, null, Values()));
                break;
            }
            case CaseEventTypes.AppealDecided when a.Evaluation?.Appeal is { } decided:
                plans.AddRange(Make(message.EventId, message.Type, Audiences.Department, DepartmentRecipient(a.DepartmentCode), Language.Chinese, context, null, new()
                {
                    [Placeholders.Outcome] = Term($"appeal.{Evaluations.EvaluationView.Wire(decided.State)}", Language.Chinese),
                    [Placeholders.Opinion] = decided.Opinion ?? "",
                }));
                break;
            case CaseEventTypes.EvaluationAppealed or CaseEventTypes.AppealDecided:
                break;
            default:
                plans.AddRange(ForApplicant(message, context));
                break;
        }
        return plans;
    }

    public IReadOnlyList<Notification> ForWarning(SupervisionWarning warning, Context context)
    {
        var kind = warning.TaskId is not null && context.Case.Tasks.FirstOrDefault(t => t.Id == warning.TaskId) is { } task
            ? $"task.{TaskView.Wire(task.Kind)}"
            : $"limit.{warning.Limit}";
        Dictionary<string, string> Values(string language) => new()
        {
            [Placeholders.TaskKind] = Term(kind, language),
            [Placeholders.DueDate] = warning.DueAt is { } due ? Date(due, language) : "",
            [Placeholders.Department] = warning.DepartmentCode,
            [Placeholders.Level] = warning.Level,
        };
        return
        [
            .. Make(warning.Id, warning.Level, Audiences.Department, DepartmentRecipient(warning.DepartmentCode), Language.Chinese, context, warning.TaskId, Values(Language.Chinese)),
            .. Make(warning.Id, warning.Level, Audiences.Supervisor, Supervisors, Language.Chinese, context, warning.TaskId, Values(Language.Chinese)),
        ];
    }

    private IEnumerable<Notification> ForApplicant(CaseEventMessage message, Context context)
    {
        var a = context.Case;
        var language = context.ApplicantLanguage;
        // The case may have moved on since the event: take what the event was about from the task or procedure it names.
        var task = a.Tasks.FirstOrDefault(t => t.Id == message.TaskId);
        var procedure = a.SpecialProcedures.FirstOrDefault(p => p.Id == message.ProcedureId) ?? a.SpecialProcedures.LastOrDefault();
        var missing = task?.MissingMaterials ?? a.Supplement?.Materials ?? [];
        var values = new Dictionary<string, string>
        {
            [Placeholders.DueDate] = a.PromisedDueAt is { } promised ? Date(promised, language) : "",
            [Placeholders.LegalDueDate] = a.LegalDueAt is { } legal ? Date(legal, language) : "",
            [Placeholders.Opinion] = message.Type switch
            {
                CaseEventTypes.NotAccepted => task?.Opinion ?? LastReturnOpinion(a) ?? "",
                CaseEventTypes.Completed => a.Decision?.Opinion ?? "",
                CaseEventTypes.SupplementRequested => task?.Opinion ?? a.Supplement?.Opinion ?? "",
                CaseEventTypes.RectificationReplied => a.Evaluation?.Rectification?.Reply ?? "",
                _ => "",
            },
            [Placeholders.Outcome] = a.Decision is { } decision ? Term($"outcome.{decision.Outcome}", language) : "",
            [Placeholders.Materials] = Materials(missing, context.Item, language),
            [Placeholders.Procedure] = procedure is null ? "" : Term($"procedure.{procedure.Kind}", language),
        };
        return Make(message.EventId, message.Type, Audiences.Applicant, a.OwnerId, language, context, message.TaskId, values);
    }

    /// <summary>The inbox notification and, where the template has an SMS text and the case a phone, the SMS.</summary>
    private IEnumerable<Notification> Make(
        string sourceId, string eventType, string audience, string recipient, string language, Context context, string? taskId, Dictionary<string, string> values)
    {
        var template = templates.Find(eventType, audience);
        if (template is null)
        {
            yield break;
        }
        var a = context.Case;
        var fellBack = language == Language.Tibetan && string.IsNullOrWhiteSpace(template.Body.Bo);
        var used = fellBack ? Language.Chinese : language;
        values[Placeholders.CaseNumber] = a.CaseNumber ?? "";
        values[Placeholders.ItemName] = context.Item?.Name.In(used).Text ?? a.ItemCode;
        values.TryAdd(Placeholders.Department, a.DepartmentCode);
        foreach (var name in Placeholders.All)
        {
            values.TryAdd(name, "");
        }
        var inbox = new Notification
        {
            Id = IdFor(sourceId, recipient, NotificationChannel.Inbox),
            Recipient = recipient,
            Channel = NotificationChannel.Inbox,
            Event = eventType,
            SourceId = sourceId,
            CaseNumber = a.CaseNumber ?? "",
            ApplicationId = a.Id,
            OwnerId = a.OwnerId,
            TaskId = taskId,
            TemplateId = template.Id,
            TemplateVersion = template.Version,
            Language = used,
            FellBack = fellBack,
            Title = Placeholders.Fill(template.Title.In(used).Text, values),
            Body = Placeholders.Fill(template.Body.In(used).Text, values).Trim(),
            // The inbox is written in the same step that makes it: it is delivered when stored.
            Status = NotificationStatuses.Delivered,
            CreatedAt = context.Now,
            UpdatedAt = context.Now,
            DeliveredAt = context.Now,
        };
        yield return inbox;
        if (audience == Audiences.Applicant && template.Sms is { } sms && a.Applicant.Phone is { Length: > 0 } phone)
        {
            var smsFellBack = language == Language.Tibetan && string.IsNullOrWhiteSpace(sms.Bo);
            var smsLanguage = smsFellBack ? Language.Chinese : language;
            yield return inbox with
            {
                Id = IdFor(sourceId, recipient, NotificationChannel.Sms),
                Channel = NotificationChannel.Sms,
                Language = smsLanguage,
                FellBack = smsFellBack,
                Body = Placeholders.Fill(sms.In(smsLanguage).Text, values),
                Status = NotificationStatuses.Created,
                DeliveredAt = null,
                PhoneMasked = NotificationOptions.MaskPhone(phone),
                PhoneKey = options.PhoneKey(phone),
            };
        }
    }

    /// <summary>The parameters an SMS template is filled with, for providers that fill their own copy of it.</summary>
    public IReadOnlyDictionary<string, string> SmsParameters(Notification notification, Context context)
    {
        var values = new Dictionary<string, string>
        {
            [Placeholders.CaseNumber] = notification.CaseNumber,
            [Placeholders.ItemName] = context.Item?.Name.In(notification.Language).Text ?? context.Case.ItemCode,
            [Placeholders.DueDate] = context.Case.PromisedDueAt is { } due ? Date(due, notification.Language) : "",
            [Placeholders.LegalDueDate] = context.Case.LegalDueAt is { } legal ? Date(legal, notification.Language) : "",
            [Placeholders.Outcome] = context.Case.Decision is { } d ? Term($"outcome.{d.Outcome}", notification.Language) : "",
        };
        return values;
    }

    private string Term(string id, string language) =>
        templates.Terms.TryGetValue(id, out var text) ? text.In(language).Text : id;

    /// <summary>
    /// The last day of a limit as a reader writes it: 2026年3月24日 in Chinese. Tibetan dates are written
    /// as 2026-03-24 until a translator gives the form Tibetan readers expect (see docs/translations.md).
    /// </summary>
    public static string Date(DateTimeOffset due, string language)
    {
        var day = ChinaTime.DateOf(due.AddTicks(-1));
        return language == Language.Tibetan
            ? day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : $"{day.Year}年{day.Month}月{day.Day}日";
    }

    private static string Materials(IReadOnlyList<MissingMaterialNotice> missing, ServiceItem? item, string language) =>
        string.Join("\n", missing.Select(m => $"- {item?.FindMaterial(m.Code)?.Name.In(language).Text ?? m.Code}（{m.Code}）：{m.Reason}"));

    private static string? LastReturnOpinion(Application a) =>
        a.Timeline.LastOrDefault(s => s.Action == StepAction.Return)?.Opinion;

    public static string IdFor(string sourceId, string recipient, NotificationChannel channel) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{sourceId}\n{recipient}\n{channel}")).AsSpan(0, 16));
}
