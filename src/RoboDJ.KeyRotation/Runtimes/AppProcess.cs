namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>A process identified by pid and start time, so a reused pid is never mistaken for it.</summary>
public sealed record AppProcess(int Pid, DateTime StartTime, string Name)
{
    public bool IsAlive => ProcessTable.IsAlive(this);
}
