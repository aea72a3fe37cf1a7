using System.Text;

namespace Ali.Serverless.Translations.Tests;

/// <summary>In-place edits of JSON text: the new property laid out as its neighbour, everything else untouched.</summary>
public sealed class JsonTextEditorTests
{
    [Fact]
    public void SetString_Absent_IsAddedOnItsOwnLineAfterTheOther()
    {
        var json = "{\n  \"name\": {\n    \"zh\": \"甲\"\n  },\n  \"n\": 1\n}\n";

        var edited = Edit(json, new SetString("/name", "bo", "TEST", After: "zh"));

        Assert.Equal("{\n  \"name\": {\n    \"zh\": \"甲\",\n    \"bo\": \"TEST\"\n  },\n  \"n\": 1\n}\n", edited);
    }

    [Fact]
    public void SetString_AfterAPropertyFollowedByOthers_KeepsTheirCommas()
    {
        var json = "{\"t\": {\"zh\": \"甲\", \"note\": \"x\"}}";

        var edited = Edit(json, new SetString("/t", "bo", "TEST", After: "zh"));

        Assert.Equal("{\"t\": {\"zh\": \"甲\", \"bo\": \"TEST\", \"note\": \"x\"}}", edited);
    }

    [Fact]
    public void SetString_InAFileWithCrLfAndByteOrderMark_KeepsBoth()
    {
        var json = "\uFEFF{\r\n\t\"zh\":\"甲\"\r\n}";

        var edited = Edit(json, new SetString("", "bo", "TEST", After: "zh"));

        Assert.Equal("\uFEFF{\r\n\t\"zh\":\"甲\",\r\n\t\"bo\":\"TEST\"\r\n}", edited);
    }

    [Fact]
    public void SetString_Present_ReplacesOnlyTheValue()
    {
        var json = "{\"items\": [{\"zh\": \"甲\", \"bo\": \"old\"}, {\"zh\": \"乙\", \"bo\": \"old\"}]}";

        var edited = Edit(json, new SetString("/items/1", "bo", "new \"quoted\"\n", After: "zh"));

        Assert.Equal("{\"items\": [{\"zh\": \"甲\", \"bo\": \"old\"}, {\"zh\": \"乙\", \"bo\": \"new \\\"quoted\\\"\\n\"}]}", edited);
    }

    [Fact]
    public void SetNumber_ReplacesTheNumber()
    {
        var json = "{\"templates\": [{\"id\": \"a\", \"version\": 9, \"title\": {\"zh\": \"甲\"}}]}";

        var edited = Edit(json, new SetNumber("/templates/0", "version", 10));

        Assert.Equal("{\"templates\": [{\"id\": \"a\", \"version\": 10, \"title\": {\"zh\": \"甲\"}}]}", edited);
    }

    [Fact]
    public void Quote_EscapesOnlyWhatJsonRequires()
    {
        Assert.Equal("\"ཀཁ 甲 “引” \\\" \\\\ \\n \\t \\u0001 😀\"", JsonTextEditor.Quote("ཀཁ 甲 “引” \" \\ \n \t \u0001 😀"));
    }

    private static string Edit(string json, params JsonEdit[] edits) =>
        Encoding.UTF8.GetString(JsonTextEditor.Apply(Encoding.UTF8.GetBytes(json), edits));
}
