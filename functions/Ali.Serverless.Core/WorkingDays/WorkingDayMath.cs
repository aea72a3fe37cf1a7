namespace Ali.Serverless.WorkingDays;

/// <summary>An answer counted on the calendar, with the years it had to count as plain weekdays (no calendar file).</summary>
public readonly record struct Counted<T>(T Value, IReadOnlyList<int> MissingYears)
{
    public bool CalendarMissing => MissingYears.Count > 0;
}

/// <summary>China Standard Time (UTC+8, no daylight saving): the clock of every legal time limit.</summary>
public static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(Offset).DateTime);

    /// <summary>24:00 China Standard Time of <paramref name="date"/>, that is 00:00 of the next day.</summary>
    public static DateTimeOffset EndOfDay(DateOnly date) => new(date.AddDays(1).ToDateTime(TimeOnly.MinValue), Offset);
}

/// <summary>Counting working days on a calendar (行政许可法 §42, §45).</summary>
public static class WorkingDayMath
{
    /// <summary>
    /// The <paramref name="days"/>th working day after <paramref name="start"/>; the start day itself is not
    /// counted. Zero days is the start day itself (handled on the spot).
    /// </summary>
    public static Counted<DateOnly> AddWorkingDays(this IWorkingCalendar calendar, DateOnly start, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var missing = new SortedSet<int>();
        Note(calendar, start, missing);
        var date = start;
        for (var counted = 0; counted < days;)
        {
            date = date.AddDays(1);
            Note(calendar, date, missing);
            if (calendar.IsWorkingDay(date))
            {
                counted++;
            }
        }
        return new Counted<DateOnly>(date, missing.ToList());
    }

    /// <summary>Working days in (<paramref name="after"/>, <paramref name="until"/>]: zero when until is not after it.</summary>
    public static Counted<int> CountWorkingDays(this IWorkingCalendar calendar, DateOnly after, DateOnly until)
    {
        var missing = new SortedSet<int>();
        var count = 0;
        for (var date = after.AddDays(1); date <= until; date = date.AddDays(1))
        {
            Note(calendar, date, missing);
            if (calendar.IsWorkingDay(date))
            {
                count++;
            }
        }
        return new Counted<int>(count, missing.ToList());
    }

    /// <summary>
    /// The limit of <paramref name="days"/> working days counted from the day of <paramref name="start"/>:
    /// 24:00 China Standard Time of the Nth working day after it.
    /// </summary>
    public static Counted<DateTimeOffset> DueAfter(this IWorkingCalendar calendar, DateTimeOffset start, int days)
    {
        var date = calendar.AddWorkingDays(ChinaTime.DateOf(start), days);
        return new Counted<DateTimeOffset>(ChinaTime.EndOfDay(date.Value), date.MissingYears);
    }

    /// <summary>Moves a due instant by <paramref name="days"/> working days (a pause or an extension).</summary>
    public static Counted<DateTimeOffset> MoveDue(this IWorkingCalendar calendar, DateTimeOffset due, int days)
    {
        // A due instant is 24:00 of its day, i.e. 00:00 of the next: count from the day it closes.
        var dueDay = ChinaTime.DateOf(due.AddTicks(-1));
        var moved = calendar.AddWorkingDays(dueDay, days);
        return new Counted<DateTimeOffset>(ChinaTime.EndOfDay(moved.Value), moved.MissingYears);
    }

    private static void Note(IWorkingCalendar calendar, DateOnly date, SortedSet<int> missing)
    {
        if (!calendar.Covers(date.Year))
        {
            missing.Add(date.Year);
        }
    }
}
