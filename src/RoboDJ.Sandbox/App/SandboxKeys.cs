using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.Sandbox.App;

/// <summary>V1 and V2 as the app loaded them, and the ring MultiFernet([V1, V2]) it uses.</summary>
sealed record SandboxKeys(FernetKey V1, FernetKey? V2)
{
    public KeyRing Ring { get; } = V2 is null ? new KeyRing(V1) : new KeyRing(V1, V2);

    /// <summary>"v1" or "v2": which slot opened a token; null when neither did.</summary>
    public string? SlotThatOpens(string token, out byte[] plaintext)
    {
        var key = Ring.TryDecrypt(token, out plaintext);
        if (key is null) return null;
        return ReferenceEquals(key, V1) ? "v1" : "v2";
    }

    /// <summary>Reads both slots; a missing V1, or a malformed key, is a reason to FAIL (never holding a value).</summary>
    public static SandboxKeys? Load(SandboxEnvironment env, out string? failure)
    {
        failure = null;
        var v1Text = env.Get(SandboxVariables.V1);
        if (string.IsNullOrEmpty(v1Text))
        {
            failure = $"V1 ({SandboxVariables.V1}) is missing";
            return null;
        }
        if (!FernetKey.TryParse(v1Text, out var v1, out var reason))
        {
            failure = $"V1 ({SandboxVariables.V1}) is malformed: {reason}";
            return null;
        }
        var v2Text = env.Get(SandboxVariables.V2);
        FernetKey? v2 = null;
        if (!string.IsNullOrEmpty(v2Text) && !FernetKey.TryParse(v2Text, out v2, out reason))
        {
            failure = $"V2 ({SandboxVariables.V2}) is malformed: {reason}";
            return null;
        }
        return new SandboxKeys(v1!, v2);
    }
}
