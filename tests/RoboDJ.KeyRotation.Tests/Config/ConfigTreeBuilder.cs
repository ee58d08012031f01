using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Tests.Config;

/// <summary>Writes a deployment's config/ folder: JSON files built from nodes, with encrypted fields made by the keys given.</summary>
sealed class ConfigTreeBuilder(string configRoot)
{
    public static readonly DateTimeOffset Written = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    public string Root { get; } = Path.GetFileName(configRoot) == "config" ? configRoot
        : throw new ArgumentException($"{configRoot}: a config tree is a deployment's config/ folder", nameof(configRoot));

    /// <summary>The scope of the deployment this config folder belongs to, with the default exclusions.</summary>
    public DeploymentScope Scope => new(new DeploymentPaths(Path.GetDirectoryName(Root)!));

    public static string Field(FernetKey key, string plaintext, bool prefixed = false) =>
        (prefixed ? "enc:" : "") + FernetToken.Encrypt(key, Encoding.UTF8.GetBytes(plaintext), Written);

    public ConfigTreeBuilder File(string relative, JsonNode node, bool indented = true, string newline = "\n")
    {
        var text = node.ToJsonString(new JsonSerializerOptions { WriteIndented = indented, NewLine = newline });
        return Raw(relative, text);
    }

    public ConfigTreeBuilder Raw(string relative, string text)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, text);
        return this;
    }

    /// <summary>A stations file with one api_token per station, each under the key given for it.</summary>
    public ConfigTreeBuilder Stations(string relative, params FernetKey[] keys) =>
        File(relative, new JsonObject
        {
            ["stations"] = new JsonArray(keys.Select((k, i) => (JsonNode)new JsonObject
            {
                ["name"] = $"station {i}",
                ["api_token"] = Field(k, $"token-{i}"),
            }).ToArray()),
        });
}
