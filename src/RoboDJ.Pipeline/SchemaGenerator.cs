using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using RoboDJ.Pipeline.Internal;

namespace RoboDJ.Pipeline;

/// <summary>
/// <c>.nuke/build.schema.json</c> in NUKE's format, so editors complete <c>parameters*.json</c>: definitions for Host,
/// ExecutableTarget (the target names) and Verbosity, NukeBuild's own properties, and the build's parameters.
/// </summary>
public static class SchemaGenerator
{
    /// <summary>The schema text (LF line endings, trailing newline); deterministic for a given build type.</summary>
    public static string Generate(Type buildType)
    {
        var targets = TargetCollector.TargetProperties(buildType).Select(p => p.Name).ToList();
        var parameters = ParameterMember.Of(buildType);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("$schema", "http://json-schema.org/draft-04/schema#");
            w.WriteStartObject("definitions");
            Enum(w, "Host", ["Terminal", "GitHubActions"]);
            Enum(w, "ExecutableTarget", targets);
            Enum(w, "Verbosity", ["Verbose", "Normal", "Minimal", "Quiet"], "");
            w.WriteStartObject("NukeBuild");
            w.WriteStartObject("properties");
            Simple(w, "Help", "boolean", "Shows the help text for this build assembly");
            Ref(w, "Host", "Host for execution. Default is 'automatic'", "Host");
            Simple(w, "NoLogo", "boolean", "Disables displaying the NUKE logo");
            Simple(w, "Plan", "boolean", "Shows the execution plan (.nuke/temp/plan.md and plan.html)");
            w.WriteStartObject("Profile");
            w.WriteString("type", "array");
            w.WriteString("description", "Defines the profiles to load");
            w.WriteStartObject("items"); w.WriteString("type", "string"); w.WriteEndObject();
            w.WriteEndObject();
            Simple(w, "Root", "string", "Root directory during build execution");
            RefArray(w, "Skip", "List of targets to be skipped. Empty list skips all dependencies");
            RefArray(w, "Target", "List of targets to be invoked. Default is '{default_target}'");
            Ref(w, "Verbosity", "Logging verbosity during build execution. Default is 'Normal'", "Verbosity");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();

            w.WriteStartArray("allOf");
            w.WriteStartObject();
            w.WriteStartObject("properties");
            foreach (var p in parameters.OrderBy(p => p.Name, StringComparer.Ordinal)) Parameter(w, p);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartObject(); w.WriteString("$ref", "#/definitions/NukeBuild"); w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    static void Parameter(Utf8JsonWriter w, ParameterMember p)
    {
        w.WriteStartObject(p.Name);
        var element = p.IsArray ? p.Type.GetElementType()! : p.ValueType;
        var type = element == typeof(bool) ? "boolean" : element == typeof(int) ? "integer" : element == typeof(double) ? "number" : "string";
        if (p.IsArray)
        {
            w.WriteString("type", "array");
            if (Describe(p) is { } description) w.WriteString("description", description);
            w.WriteStartObject("items");
            w.WriteString("type", type);
            if (p.AllowedValues is { } items) Values(w, items);
            w.WriteEndObject();
        }
        else
        {
            w.WriteString("type", type);
            if (Describe(p) is { } description) w.WriteString("description", description);
            if (p.AllowedValues is { } values) Values(w, values);
            if (!double.IsNaN(p.Attribute.Minimum) && type is "integer" or "number") w.WriteNumber("minimum", p.Attribute.Minimum);
        }
        if (p.IsSecret) w.WriteString("default", $"Secrets must be given as the environment variable {p.EnvironmentName}, never in this file");
        w.WriteEndObject();
    }

    // A command-line-only parameter in a parameters file is refused, so the schema says so where an editor shows it.
    static string? Describe(ParameterMember p) =>
        p.IsCommandLineOnly ? $"{p.Description} (command line only: never this file or the environment)".TrimStart() : p.Description;

    static void Values(Utf8JsonWriter w, IEnumerable<string> values)
    {
        w.WriteStartArray("enum");
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    static void Enum(Utf8JsonWriter w, string name, IEnumerable<string> values, string? description = null)
    {
        w.WriteStartObject(name);
        w.WriteString("type", "string");
        if (description is not null) w.WriteString("description", description);
        Values(w, values);
        w.WriteEndObject();
    }

    static void Simple(Utf8JsonWriter w, string name, string type, string description)
    {
        w.WriteStartObject(name);
        w.WriteString("type", type);
        w.WriteString("description", description);
        w.WriteEndObject();
    }

    static void Ref(Utf8JsonWriter w, string name, string description, string definition)
    {
        w.WriteStartObject(name);
        w.WriteString("description", description);
        w.WriteString("$ref", "#/definitions/" + definition);
        w.WriteEndObject();
    }

    static void RefArray(Utf8JsonWriter w, string name, string description)
    {
        w.WriteStartObject(name);
        w.WriteString("type", "array");
        w.WriteString("description", description);
        w.WriteStartObject("items"); w.WriteString("$ref", "#/definitions/ExecutableTarget"); w.WriteEndObject();
        w.WriteEndObject();
    }
}
