namespace Ali.Serverless.PersonalData;

/// <summary>The one masking rule of answers (decision 13): identity numbers and phones show their first and last four characters.</summary>
public static class PersonalDataMask
{
    public static string Mask(string value) =>
        value.Length <= 8 ? new string('*', value.Length) : string.Concat(value.AsSpan(0, 4), new string('*', value.Length - 8), value.AsSpan(value.Length - 4));
}
