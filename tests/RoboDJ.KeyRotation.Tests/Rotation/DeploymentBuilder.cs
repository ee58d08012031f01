using System.Text;
using System.Text.Json.Nodes;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Rotation;

/// <summary>A small deployment on disk: .env with both keys and ROBODJ_ENV, config fields under chosen keys, an env contract.</summary>
public sealed class DeploymentBuilder : IDisposable
{
    readonly TempDir temp = new("robodj-deployment");
    readonly JsonObject settings = new() { ["station_name"] = "RoboDJ FM" };
    string env = "staging";
    bool writeV2 = true;
    int field;

    public FernetKey V1 { get; } = FernetKey.Generate();
    public FernetKey V2 { get; } = FernetKey.Generate();
    public DeploymentPaths Paths => new(temp.Path);

    public DeploymentBuilder WithEnv(string value) { env = value; return this; }
    public DeploymentBuilder WithoutV2() { writeV2 = false; return this; }
    public DeploymentBuilder WithFieldUnderV1() => WithField(V1);
    public DeploymentBuilder WithFieldUnderV2() => WithField(V2);
    public DeploymentBuilder WithUndecryptableField() => WithField(FernetKey.Generate());

    DeploymentBuilder WithField(FernetKey key)
    {
        settings[$"secret_{field++}"] = FernetToken.Encrypt(key, Encoding.UTF8.GetBytes("value"));
        return this;
    }

    public DeploymentBuilder Build()
    {
        var text = $"ROBODJ_ENV={env}\nROBODJ_SECRET_KEY={V1.Text}\n" + (writeV2 ? $"ROBODJ_SECRET_V2_KEY={V2.Text}\n" : "");
        File.WriteAllText(Paths.DotEnv, text);
        Directory.CreateDirectory(Paths.Config);
        File.WriteAllText(Path.Combine(Paths.Config, "settings.json"), settings.ToJsonString());
        File.WriteAllText(Paths.EnvContract, "{\"required\": [\"ROBODJ_ENV\", \"ROBODJ_SECRET_KEY\", \"ROBODJ_SECRET_V2_KEY\"], \"secret\": [\"ROBODJ_SECRET_KEY\", \"ROBODJ_SECRET_V2_KEY\"]}");
        return this;
    }

    public DeploymentSettings Settings(string env = "staging") => new() { Env = env, Paths = Paths, Runtime = RuntimeKind.Desktop };

    public void Dispose() => temp.Dispose();
}
