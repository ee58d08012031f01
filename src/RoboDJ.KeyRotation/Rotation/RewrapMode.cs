namespace RoboDJ.KeyRotation.Rotation;

/// <summary>
/// Who moves the config fields to the new V1 (--rewrap-by). The app is the single writer that can do it while it runs:
/// a config save under the current keys before Stop leaves nothing that only V2 opens, and the save in Verify moves
/// the rest to the new V1, so the outage does not grow with the config. Offline rewraps while the app is down.
/// </summary>
public enum RewrapMode
{
    /// <summary>The app when Preflight logged in to its dashboard, else offline.</summary>
    Auto,
    App,
    Offline,
}
