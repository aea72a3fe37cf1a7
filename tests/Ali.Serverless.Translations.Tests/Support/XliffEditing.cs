using System.Xml.Linq;

namespace Ali.Serverless.Translations.Tests.Support;

/// <summary>What a translator's tool does to an exported file, done by hand in tests.</summary>
public static class XliffEditing
{
    public static readonly XNamespace Ns = "urn:oasis:names:tc:xliff:document:2.0";

    public static IReadOnlyList<XElement> Units(this XDocument xliff) => [.. xliff.Descendants(Ns + "unit")];

    public static string Id(this XElement unit) => (string)unit.Attribute("id")!;

    public static XElement Unit(this XDocument xliff, string id) => xliff.Units().Single(u => u.Id() == id);

    public static XElement Source(this XElement unit) => unit.Element(Ns + "segment")!.Element(Ns + "source")!;

    public static XElement? Target(this XElement unit) => unit.Element(Ns + "segment")!.Element(Ns + "target");

    /// <summary>A source's or target's text with each placeholder written as it stands in the data, {name}.</summary>
    public static string Text(this XElement sourceOrTarget) =>
        string.Concat(sourceOrTarget.Nodes().Select(n => n switch
        {
            XText t => t.Value,
            XElement e when e.Name == Ns + "ph" => (string)e.Attribute("equiv")!,
            _ => throw new InvalidOperationException($"Unexpected {n}"),
        }));

    /// <summary>Replaces the unit's target with <paramref name="content"/> (text and elements).</summary>
    public static void SetTarget(this XElement unit, params object[] content)
    {
        unit.Target()?.Remove();
        unit.Source().AddAfterSelf(new XElement(Ns + "target", new XAttribute(XNamespace.Xml + "space", "preserve"), content));
    }

    /// <summary>
    /// Fills the target with test data: the marker, then the source's placeholders as the source's &lt;ph&gt;
    /// (in reverse order, as a translation may reorder them). Returns the text the import should write as bo.
    /// </summary>
    public static string FillWithTestData(this XElement unit)
    {
        var placeholders = unit.Source().Elements(Ns + "ph").Reverse().ToList();
        var content = new List<object> { TestRepository.TestMarker };
        foreach (var ph in placeholders)
        {
            content.Add(" ");
            content.Add(new XElement(Ns + "ph", new XAttribute("id", (string)ph.Attribute("id")!)));
        }
        unit.SetTarget([.. content]);
        return TestRepository.TestMarker + string.Concat(placeholders.Select(ph => " " + (string)ph.Attribute("equiv")!));
    }
}
