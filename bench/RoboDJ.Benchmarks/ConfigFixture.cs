using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.Benchmarks;

/// <summary>A config folder of 100 files x 100 stations, every api_token under the old key: 10,000 fields to rewrap.</summary>
sealed class ConfigFixture
{
    public const int Files = 100;
    public const int FieldsPerFile = 100;

    public ConfigFixture()
    {
        Root = Directory.CreateTempSubdirectory("robodj-bench-").FullName;
        Pristine = Path.Combine(Root, "pristine");
        Config = Path.Combine(Root, "config");
        Directory.CreateDirectory(Pristine);
        var when = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        for (var f = 0; f < Files; f++)
        {
            var stations = new JsonArray();
            for (var i = 0; i < FieldsPerFile; i++)
            {
                var token = FernetToken.Encrypt(Old, Encoding.UTF8.GetBytes($"api-token-{f}-{i}-0123456789abcdef"), when);
                Tokens.Add(token);
                stations.Add(new JsonObject { ["name"] = $"station {f}.{i}", ["api_token"] = "enc:" + token, ["enabled"] = true });
            }
            File.WriteAllText(Path.Combine(Pristine, $"stations-{f:D3}.json"),
                new JsonObject { ["stations"] = stations }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
        Reset();
    }

    public FernetKey Old { get; } = FernetKey.Generate();
    public FernetKey New { get; } = FernetKey.Generate();
    public List<string> Tokens { get; } = [];
    public string Root { get; }
    public string Pristine { get; }
    public string Config { get; }
    public DeploymentScope Scope => new(new DeploymentPaths(Root));

    /// <summary>Puts every field back under the old key, so each measured rewrap has 10,000 fields to do.</summary>
    public void Reset()
    {
        Directory.CreateDirectory(Config);
        foreach (var file in Directory.GetFiles(Pristine)) File.Copy(file, Path.Combine(Config, Path.GetFileName(file)), overwrite: true);
    }

    public void Delete() => Directory.Delete(Root, recursive: true);
}
