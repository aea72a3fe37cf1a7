using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Ali.Serverless.Infra.Tests;

/// <summary>A resource of a compiled ARM template, with the (possibly nested) template that declares it.</summary>
public sealed record ArmResource(JsonObject Body, JsonObject DeclaringTemplate)
{
    public string Type => (string?)Body["type"] ?? "";

    /// <summary>The resource type named by the resource's scope, e.g. Microsoft.KeyVault/vaults.</summary>
    public string? ScopeType => ArmTemplate.ResourceTypeOf((string?)Body["scope"]);

    public JsonNode? Get(string path) => ArmTemplate.Get(Body, path);
}

/// <summary>Small helpers over compiled ARM JSON (languageVersion 1 or 2, nested module deployments).</summary>
public static partial class ArmTemplate
{
    /// <summary>Every resource declared (not merely referenced as existing) anywhere in the template tree.</summary>
    public static IEnumerable<ArmResource> Resources(JsonNode template)
    {
        var root = template.AsObject();
        foreach (var resource in ResourceList(root))
        {
            if (resource["existing"]?.GetValue<bool>() == true)
            {
                continue;
            }
            yield return new ArmResource(resource, root);
            if ((string?)resource["type"] == "Microsoft.Resources/deployments"
                && resource["properties"]?["template"] is JsonObject nested)
            {
                foreach (var inner in Resources(nested))
                {
                    yield return inner;
                }
            }
        }
    }

    public static IReadOnlyList<ArmResource> OfType(JsonNode template, string type) =>
        Resources(template).Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>Removes, anywhere in the tree, the resources that match.</summary>
    public static void RemoveResources(JsonNode template, Func<ArmResource, bool> match)
    {
        foreach (var resource in Resources(template).Where(match).ToList())
        {
            switch (resource.DeclaringTemplate["resources"])
            {
                case JsonArray list:
                    list.Remove(resource.Body);
                    break;
                case JsonObject map:
                    var key = map.Single(p => ReferenceEquals(p.Value, resource.Body)).Key;
                    map.Remove(key);
                    break;
            }
        }
    }

    public static JsonNode? Get(JsonObject node, string path)
    {
        JsonNode? current = node;
        foreach (var part in path.Split('.'))
        {
            current = current is JsonObject o && o.TryGetPropertyValue(part, out var next) ? next : null;
            if (current is null)
            {
                return null;
            }
        }
        return current;
    }

    public static void Remove(JsonObject node, string path)
    {
        var parts = path.Split('.');
        if (Get(node, string.Join('.', parts[..^1])) is JsonObject parent || (parts.Length == 1 && (parent = node) is not null))
        {
            parent.Remove(parts[^1]);
        }
    }

    public static void Set(JsonObject node, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var parent = parts.Length == 1 ? node : Get(node, string.Join('.', parts[..^1])) as JsonObject;
        if (parent is not null)
        {
            parent[parts[^1]] = value;
        }
    }

    /// <summary>Follows a value written as [variables('name')] to the variable's value in the declaring template.</summary>
    public static JsonNode? Resolve(JsonNode? value, JsonObject template)
    {
        for (var depth = 0; depth < 10 && value is JsonValue v && v.TryGetValue<string>(out var text); depth++)
        {
            var match = WholeVariableReference().Match(text);
            if (!match.Success)
            {
                break;
            }
            value = template["variables"]?[match.Groups[1].Value];
        }
        return value;
    }

    /// <summary>The value a module deployment passes for one of its parameters, resolved through variables.</summary>
    public static JsonNode? ModuleParameter(JsonNode root, string moduleName, string parameter)
    {
        var module = Resources(root).Single(r => r.Type == "Microsoft.Resources/deployments" && (string?)r.Body["name"] == moduleName);
        return Resolve(module.Get($"properties.parameters.{parameter}.value"), module.DeclaringTemplate);
    }

    /// <summary>The nested template of a module deployment.</summary>
    public static JsonObject ModuleTemplate(JsonNode root, string moduleName) =>
        Resources(root).Single(r => r.Type == "Microsoft.Resources/deployments" && (string?)r.Body["name"] == moduleName)
            .Get("properties.template")!.AsObject();

    /// <summary>Names of the variables an ARM expression refers to.</summary>
    public static IEnumerable<string> VariablesIn(string expression) =>
        VariableReference().Matches(expression).Select(m => m.Groups[1].Value);

    /// <summary>
    /// The arguments, as expression text, of each createObject(...) call in an ARM expression that is not
    /// itself inside another one's arguments. Strings are single-quoted, a quote inside doubled.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> CreateObjectCalls(string expression)
    {
        var calls = new List<IReadOnlyList<string>>();
        var searchFrom = 0;
        while (CreateObjectCall().Match(expression, searchFrom) is { Success: true } call)
        {
            var (arguments, end) = ArgumentsFrom(expression, call.Index + call.Length);
            calls.Add(arguments);
            searchFrom = end;
        }
        return calls;
    }

    /// <summary>Splits the arguments of a call whose "(" ends just before <paramref name="start"/>; returns them and the index after ")".</summary>
    private static (IReadOnlyList<string> Arguments, int End) ArgumentsFrom(string expression, int start)
    {
        var arguments = new List<string>();
        var depth = 0;
        var inString = false;
        var argumentStart = start;
        for (var i = start; i < expression.Length; i++)
        {
            var c = expression[i];
            if (inString)
            {
                // '' inside a string is an escaped quote: skip both and stay inside.
                if (c == '\'' && i + 1 < expression.Length && expression[i + 1] == '\'')
                {
                    i++;
                }
                else if (c == '\'')
                {
                    inString = false;
                }
                continue;
            }
            switch (c)
            {
                case '\'':
                    inString = true;
                    break;
                case '(':
                case '[':
                    depth++;
                    break;
                case ')' or ']' when depth > 0:
                    depth--;
                    break;
                case ')':
                    arguments.Add(expression[argumentStart..i].Trim());
                    return (arguments.Where(a => a.Length > 0).ToList(), i + 1);
                case ',' when depth == 0:
                    arguments.Add(expression[argumentStart..i].Trim());
                    argumentStart = i + 1;
                    break;
            }
        }
        throw new FormatException($"unbalanced parentheses in {expression}");
    }

    public static string? ResourceTypeOf(string? expression) =>
        expression is null ? null : ResourceIdType().Match(expression) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>Removes every "$schema" property (their schema URLs are not endpoints the template uses).</summary>
    public static JsonNode WithoutSchemaUrls(JsonNode node)
    {
        var copy = node.DeepClone();
        Strip(copy);
        return copy;

        static void Strip(JsonNode? n)
        {
            switch (n)
            {
                case JsonObject o:
                    o.Remove("$schema");
                    foreach (var p in o.ToList())
                    {
                        Strip(p.Value);
                    }
                    break;
                case JsonArray a:
                    foreach (var item in a)
                    {
                        Strip(item);
                    }
                    break;
            }
        }
    }

    private static IEnumerable<JsonObject> ResourceList(JsonObject template) =>
        template["resources"] switch
        {
            JsonArray list => list.OfType<JsonObject>().ToList(),
            JsonObject map => map.Select(p => p.Value).OfType<JsonObject>().ToList(),
            _ => [],
        };

    [GeneratedRegex(@"^\[variables\('([^']+)'\)\]$")]
    private static partial Regex WholeVariableReference();

    [GeneratedRegex(@"variables\('([^']+)'\)")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"\bcreateObject\(")]
    private static partial Regex CreateObjectCall();

    [GeneratedRegex(@"resourceId\('([^']+)'")]
    private static partial Regex ResourceIdType();
}
