using System.Text;

namespace Ali.Serverless.Evaluations;

/// <summary>
/// What of a review's text may be published. People type their phone or identity number into a
/// complaint; the public copy masks every run that could be one: seven or more digits (any script's
/// digits, full-width included), with spaces or hyphens between them and an identity number's final X.
/// Runs of eleven or more keep their first three and last four characters (as a phone is usually shown);
/// shorter ones are masked whole. Names and addresses cannot be told from other words and are not
/// masked: the README says so where the text is published.
/// </summary>
public static class EvaluationText
{
    public const int MinimumRun = 7;

    public static string? Mask(string? text)
    {
        if (text is null)
        {
            return null;
        }
        var result = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsDigit(text[i]))
            {
                result.Append(text[i++]);
                continue;
            }
            // A run: digits, with single separators inside, and an X right after the last digit.
            var end = i;
            var digits = 0;
            var last = i;
            while (end < text.Length)
            {
                if (char.IsDigit(text[end]))
                {
                    digits++;
                    last = end;
                    end++;
                }
                else if (text[end] is ' ' or '-' && end + 1 < text.Length && char.IsDigit(text[end + 1]))
                {
                    end++;
                }
                else
                {
                    break;
                }
            }
            if (last + 1 < text.Length && text[last + 1] is 'X' or 'x')
            {
                digits++;
                last++;
            }
            var run = text[i..(last + 1)];
            result.Append(digits >= MinimumRun ? MaskRun(run, digits) : run);
            i = last + 1;
        }
        return result.ToString();
    }

    private static string MaskRun(string run, int characters)
    {
        var kept = run.Where(c => c is not (' ' or '-')).ToArray();
        if (characters < 11)
        {
            return new string('*', kept.Length);
        }
        return new string(kept, 0, 3) + new string('*', kept.Length - 7) + new string(kept, kept.Length - 4, 4);
    }
}
