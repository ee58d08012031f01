using System.Text.Json;
using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.Sandbox.App;

/// <summary>
/// Dashboard sessions: a Fernet token under V1 holding {"user", "exp"}. Any key of the ring opens it, so a session
/// taken before a rotation stays valid afterwards through V2, which is what the runbook's check relies on.
/// </summary>
sealed class SessionTokens(SandboxKeys keys, TimeSpan lifetime, TimeProvider clock)
{
    sealed record Payload(string User, long Exp);

    public string Issue(string user)
    {
        var exp = clock.GetUtcNow().Add(lifetime).ToUnixTimeSeconds();
        return keys.Ring.Encrypt(JsonSerializer.SerializeToUtf8Bytes(new Payload(user, exp), JsonOptions));
    }

    /// <summary>The user and the slot ("v1"/"v2") that opened the session; null when no key opens it or it expired.</summary>
    public (string User, string Key)? Check(string token)
    {
        var slot = keys.SlotThatOpens(token, out var plaintext);
        if (slot is null) return null;
        Payload? payload;
        try { payload = JsonSerializer.Deserialize<Payload>(plaintext, JsonOptions); }
        catch (JsonException) { return null; }
        if (payload is null || payload.Exp <= clock.GetUtcNow().ToUnixTimeSeconds()) return null;
        return (payload.User, slot);
    }

    static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
