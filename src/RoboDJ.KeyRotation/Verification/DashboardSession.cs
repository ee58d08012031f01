namespace RoboDJ.KeyRotation.Verification;

/// <summary>A dashboard session token. It is a credential: it never reaches output (ToString hides it).</summary>
public sealed class DashboardSession(string token)
{
    internal string Token { get; } = token;
    public override string ToString() => "DashboardSession(***)";
}

/// <summary>An upcoming broadcast, as /api/broadcasts/upcoming lists it.</summary>
public sealed record UpcomingBroadcast(string Id, string Title, DateTimeOffset StartsAt);

/// <summary>The outcome of a config-save round trip: how many fields were saved and which could not be decrypted.</summary>
public sealed record ConfigSaveResult(int Saved, IReadOnlyList<string> DecryptionErrors)
{
    public bool Clean => DecryptionErrors.Count == 0;
}
