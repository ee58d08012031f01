namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>
/// A runtime that launches the app's process itself (the desktop app). It knows that process from the launch, before
/// the app wrote any pid file, so that Stop stops exactly it and a PASS line can be matched to it.
/// </summary>
public interface ITracksLaunches
{
    /// <summary>Every process this runtime launched or adopted, alive or not; the latest last.</summary>
    IReadOnlyList<AppProcess> Launched { get; }

    /// <summary>Adopts a process an earlier run launched (from its journal), so that Stop stops it too.</summary>
    void Track(AppProcess process);
}
