using Ali.Serverless.Core.Tests.Support;
using Ali.Serverless.WorkingDays;

namespace Ali.Serverless.Core.Tests.WorkingDays;

/// <summary>The calendar files as shipped in functions/Ali.Serverless.Functions/Calendar, loaded once per chain.</summary>
internal static class ShippedCalendar
{
    public static readonly string Folder = Path.Combine(RepositoryRoot.Find(), "functions", "Ali.Serverless.Functions", "Calendar");

    private static readonly Lazy<WorkingCalendar> NationalOnly = new(() => WorkingCalendar.LoadDirectory(Folder, ["cn"]));

    private static readonly Lazy<WorkingCalendar> Tibet = new(() => WorkingCalendar.LoadDirectory(Folder, ["cn", "540000"]));

    private static readonly Lazy<WorkingCalendar> Ali = new(() => WorkingCalendar.LoadDirectory(Folder, ["cn", "540000", "542500"]));

    /// <summary>The State Council's arrangement alone.</summary>
    public static WorkingCalendar National => NationalOnly.Value;

    /// <summary>National, then the Tibet Autonomous Region's notices.</summary>
    public static WorkingCalendar Region => Tibet.Value;

    /// <summary>The chain the app uses for Ali Prefecture: national, region, prefecture.</summary>
    public static WorkingCalendar Prefecture => Ali.Value;
}
