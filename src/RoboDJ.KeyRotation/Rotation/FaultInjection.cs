namespace RoboDJ.KeyRotation.Rotation;

/// <summary>
/// An inert seam: null in the shipped build. Only the end-to-end tests' startup hook (tests/RoboDJ.TestHooks, loaded
/// through DOTNET_STARTUP_HOOKS) sets it, to fail a chosen target after its work.
/// </summary>
public static class FaultInjection
{
    public static Func<string, Exception?>? Current { get; set; }
}
