namespace RoboDJ.Build.Tests.Swarm;

/// <summary>Thrown by a test's phase hook once a phase's Ended line is on disk: the run stops there, as a kill would.</summary>
public sealed class KilledAtPhaseBoundary : Exception;
