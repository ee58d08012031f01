using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Fleet;

/// <summary>
/// The keys of a fleet rotation run as a GitHub Actions matrix, as every job gets them from the environment's secrets:
/// the pre-rotation pair (the store keeps it until the last job promotes the new key) and the next key, which the first
/// job generated once and stored sealed as <see cref="NextName"/>.
/// </summary>
public sealed record FleetKeys(FernetKey Primary, FernetKey? Secondary, FernetKey Next)
{
    public const string NextName = "ROBODJ_NEXT_SECRET_KEY";

    /// <summary>The keys from the job's secret mapping; a key that is missing or malformed names its variable and the fix.</summary>
    public static FleetKeys FromEnvironment(Func<string, string?> environment)
    {
        var primary = Parse(environment, KeySlots.PrimaryName) ?? throw new MissingKeyException($"environment variable {KeySlots.PrimaryName}", KeySlots.PrimaryName);
        var next = Parse(environment, NextName)
            ?? throw new FleetKeyHandOffException($"{NextName} is not set: the job that generates the next key (FleetKeyHandOff) did not run or did not store it",
                "run the workflow from its first job, or map secrets." + NextName + " into the job's env");
        var keys = new FleetKeys(primary, Parse(environment, KeySlots.SecondaryName), next);
        if (next.Equals(primary) || next.Equals(keys.Secondary))
            throw new FleetKeyHandOffException($"{NextName} ({next.Fingerprint}) is already one of the current keys: this rotation was promoted already",
                "start a new rotation from the first job (FleetKeyHandOff generates a new next key)");
        return keys;
    }

    static FernetKey? Parse(Func<string, string?> environment, string name) =>
        environment(name) is { Length: > 0 } text ? FernetKey.Parse(text, $"environment variable {name} (from the GitHub environment's secret)") : null;
}

public sealed class FleetKeyHandOffException(string why, string fix) : Exception($"{why}. Fix: {fix}. Nothing was changed.");
