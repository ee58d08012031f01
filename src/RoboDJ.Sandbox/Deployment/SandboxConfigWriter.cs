using System.Text;
using System.Text.Json.Nodes;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Sandbox.App;
using RoboDJ.Pipeline.IO;

namespace RoboDJ.Sandbox;

/// <summary>
/// Spreads the encrypted fields over three config files and three depths (top level, nested objects, objects in an
/// array), next to non-secret strings and a decoy that only looks like a token's start. V2 fields carry older
/// timestamps, so a test can see that a rewrap keeps them.
/// </summary>
static class SandboxConfigWriter
{
    static readonly string[] Files = ["settings.json", "integrations/streaming.json", "stations/main.json"];
    static readonly string[] Names = ["api_token", "client_secret", "stream_key", "smtp_password", "webhook_secret", "db_password", "license_key", "icecast_password"];

    public static void Write(SandboxLayout layout, SandboxDeploymentOptions options, FernetKey v1, FernetKey? v2)
    {
        var documents = Files.Select((f, i) => NewDocument(i)).ToArray();
        var lost = options.UndecryptableFields > 0 ? FernetKey.Generate() : null;
        var plan = Enumerable.Repeat((Key: v1, Age: TimeSpan.FromDays(1)), options.FieldsUnderV1)
            .Concat(Enumerable.Repeat((Key: v2!, Age: TimeSpan.FromDays(30)), options.FieldsUnderV2))
            .Concat(Enumerable.Repeat((Key: lost!, Age: TimeSpan.FromDays(400)), options.UndecryptableFields))
            .ToList();

        for (var k = 0; k < plan.Count; k++)
        {
            var name = $"{Names[k % Names.Length]}_{k}";
            var token = FernetToken.Encrypt(plan[k].Key, Encoding.UTF8.GetBytes($"sandbox {name} value"), DateTimeOffset.UtcNow - plan[k].Age);
            var value = (options.PrefixSomeFieldsWithEnc && k % 2 == 1 ? EncryptedField.Prefix : "") + token;
            Place(documents[k % Files.Length], (k + k / Files.Length) % 3, name, value);
        }

        for (var i = 0; i < Files.Length; i++)
        {
            var path = Path.Combine(layout.Config, Files[i]);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            AtomicFile.WriteAllText(path, documents[i].ToJsonString(new() { WriteIndented = true }) + "\n");
        }
    }

    static JsonObject NewDocument(int i) => new()
    {
        ["station_name"] = "RoboDJ FM",
        ["timezone"] = "UTC",
        ["description"] = $"sandbox config file {i + 1}",
        ["note"] = "gAAAAA is how a Fernet token starts; this string is not one",
        ["integrations"] = new JsonObject(),
        ["outputs"] = new JsonArray(),
    };

    /// <summary>Depth 0: top level; 1: integrations.service_N.name; 2: outputs[n].credentials.name.</summary>
    static void Place(JsonObject document, int depth, string name, string value)
    {
        switch (depth)
        {
            case 0:
                document[name] = value;
                break;
            case 1:
                document["integrations"]!.AsObject()[$"service_{name}"] = new JsonObject { ["enabled"] = true, [name] = value };
                break;
            default:
                document["outputs"]!.AsArray().Add(new JsonObject
                {
                    ["name"] = $"output for {name}",
                    ["credentials"] = new JsonObject { ["user"] = "robodj", [name] = value },
                });
                break;
        }
    }
}
