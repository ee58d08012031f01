using System.Text.Json;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Pipeline.IO;

namespace RoboDJ.KeyRotation.Config;

/// <summary>
/// The deployment's environment contract, <c>config/env_contract.json</c>: which variables the app needs and which of them
/// are secret. The shape is two lists of names:
/// <code>
/// {
///   "required": ["ROBODJ_ENV", "ROBODJ_SECRET_KEY", "ROBODJ_SECRET_V2_KEY"],
///   "secret":   ["ROBODJ_SECRET_KEY", "ROBODJ_SECRET_V2_KEY"]
/// }
/// </code>
/// A secret that is not required (may be absent) is allowed. Other members are ignored, so the app may keep notes there.
/// </summary>
public sealed class EnvContract
{
    public const string RelativePath = "config/env_contract.json";

    EnvContract(IReadOnlyList<string> required, IReadOnlyList<string> secret)
    {
        Required = required;
        Secret = secret;
    }

    public IReadOnlyList<string> Required { get; }
    public IReadOnlyList<string> Secret { get; }

    /// <summary>What a deployment without a contract file must still have.</summary>
    public static EnvContract Default { get; } = new(
        ["ROBODJ_ENV", KeySlots.PrimaryName, KeySlots.SecondaryName], [KeySlots.PrimaryName, KeySlots.SecondaryName]);

    public bool IsSecret(string name) => Secret.Contains(name, StringComparer.Ordinal);

    /// <summary>The required variables that the .env leaves absent or empty, in contract order.</summary>
    public IReadOnlyList<string> MissingFrom(DotEnvFile env) => MissingFrom(env.Values);

    public IReadOnlyList<string> MissingFrom(IReadOnlyDictionary<string, string?> values) =>
        Required.Where(name => !values.TryGetValue(name, out var v) || string.IsNullOrEmpty(v)).ToList();

    public static EnvContract Load(string path) => Parse(InputFile.ReadAllBytes(path, InputLimits.EnvContractBytes,
        fix: "make it the regular JSON file {\"required\": [names], \"secret\": [names]}, or restore it from the last snapshot"), path);

    public static EnvContract Parse(byte[] json, string file)
    {
        if (Utf8Text.FirstInvalid(json) is var bad and >= 0)
        {
            var (line, column) = Utf8Text.PositionOf(json, bad);
            throw new ConfigJsonException(file, $"{line}", $"column {column}: a byte that is not UTF-8", "save the file as UTF-8");
        }
        JsonDocument document;
        try { document = JsonDocument.Parse(json.AsMemory(EncryptedFieldScanner.BodyStart(json))); }
        catch (JsonException e)
        {
            throw new ConfigJsonException(file, $"{(e.LineNumber ?? 0) + 1}", $"it is not valid JSON (column {(e.BytePositionInLine ?? 0) + 1})",
                "correct the JSON; the contract is {\"required\": [names], \"secret\": [names]}");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw Shape(file, "$", "the contract is not a JSON object");
            return new EnvContract(Names(document.RootElement, "required", file), Names(document.RootElement, "secret", file));
        }
    }

    static List<string> Names(JsonElement root, string member, string file)
    {
        if (!root.TryGetProperty(member, out var list)) return [];
        if (list.ValueKind != JsonValueKind.Array) throw Shape(file, "$." + member, "it is not a list of variable names");
        var names = new List<string>();
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
                throw Shape(file, $"$.{member}[{i}]", "it is not a variable name");
            names.Add(item.GetString()!);
            i++;
        }
        return names;
    }

    static ConfigJsonException Shape(string file, string path, string problem) =>
        new(file, path, problem, "write the contract as {\"required\": [\"ROBODJ_ENV\", ...], \"secret\": [\"ROBODJ_SECRET_KEY\", ...]}");
}
