namespace Ali.Serverless.WorkingDays;

/// <summary>
/// Which days count as working days (工作日) for legal time limits: weekends and public holidays do
/// not, make-up working days (调休) do. The calendar is data, maintained per year and region.
/// </summary>
public interface IWorkingCalendar
{
    /// <summary>True when a calendar file for that year is loaded; otherwise its days are counted as plain weekdays.</summary>
    bool Covers(int year);

    /// <summary>Whether the date is a working day; in a year the calendar does not cover, Monday to Friday.</summary>
    bool IsWorkingDay(DateOnly date);
}
