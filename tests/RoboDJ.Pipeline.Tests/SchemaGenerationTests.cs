using System.Text.Json;
using RoboDJ.Pipeline.Tests.Support;

namespace RoboDJ.Pipeline.Tests;

public class SchemaGenerationTests
{
    static JsonElement Schema<T>() => JsonDocument.Parse(SchemaGenerator.Generate(typeof(T))).RootElement;

    static JsonElement BuildProperties(JsonElement schema) => schema.GetProperty("allOf")[0].GetProperty("properties");

    [Fact]
    public void The_schema_has_nukes_shape_with_the_targets_as_an_enum()
    {
        var schema = Schema<RelationsBuild>();
        Assert.Equal("http://json-schema.org/draft-04/schema#", schema.GetProperty("$schema").GetString());
        var definitions = schema.GetProperty("definitions");
        Assert.Equal(["Clean", "Restore", "Compile", "Pack", "Setup", "Stop", "Start", "Report"],
            definitions.GetProperty("ExecutableTarget").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        var nuke = definitions.GetProperty("NukeBuild").GetProperty("properties");
        Assert.Equal(["Help", "Host", "NoLogo", "Plan", "Profile", "Root", "Skip", "Target", "Verbosity"], nuke.EnumerateObject().Select(p => p.Name));
        Assert.Equal("#/definitions/ExecutableTarget", nuke.GetProperty("Skip").GetProperty("items").GetProperty("$ref").GetString());
        Assert.Equal("#/definitions/NukeBuild", schema.GetProperty("allOf")[1].GetProperty("$ref").GetString());
    }

    [Fact]
    public void Parameters_appear_with_types_descriptions_and_valid_values()
    {
        var properties = BuildProperties(Schema<ParametersBuild>());
        Assert.Equal("Deployment environment", properties.GetProperty("Env").GetProperty("description").GetString());
        Assert.Equal(["staging", "production", "sandbox"], properties.GetProperty("Env").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["Docker", "Desktop"], properties.GetProperty("Runtime").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("integer", properties.GetProperty("Retries").GetProperty("type").GetString());
        Assert.Equal("number", properties.GetProperty("Ratio").GetProperty("type").GetString());
        Assert.Equal("boolean", properties.GetProperty("BreakLock").GetProperty("type").GetString());
        Assert.Equal("array", properties.GetProperty("Labels").GetProperty("type").GetString());
        Assert.Equal("string", properties.GetProperty("StartTimeout").GetProperty("type").GetString());
        Assert.Contains("environment variable DASHBOARD_PASSWORD", properties.GetProperty("DashboardPassword").GetProperty("default").GetString());
    }

    [Fact]
    public void The_schema_is_deterministic_and_ends_with_a_newline()
    {
        var first = SchemaGenerator.Generate(typeof(ParametersBuild));
        Assert.Equal(first, SchemaGenerator.Generate(typeof(ParametersBuild)));
        Assert.EndsWith("}\n", first);
        Assert.DoesNotContain("\r", first);
    }

    [Fact]
    public void Generate_schema_writes_the_same_text_to_the_nuke_folder()
    {
        using var h = new Harness();
        var run = h.Run<ParametersBuild>("--generate-schema");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(SchemaGenerator.Generate(typeof(ParametersBuild)), File.ReadAllText(Path.Combine(h.Root, ".nuke", "build.schema.json")));
    }

    [Fact]
    public void A_parameter_minimum_appears_in_the_schema_so_an_editor_flags_a_bad_file()
    {
        var properties = BuildProperties(Schema<MinimumBuild>());
        Assert.Equal(1, properties.GetProperty("Timeout").GetProperty("minimum").GetDouble());
        Assert.Equal(0.5, properties.GetProperty("Ratio").GetProperty("minimum").GetDouble());
        Assert.False(BuildProperties(Schema<ParametersBuild>()).GetProperty("Retries").TryGetProperty("minimum", out _));
    }
}
