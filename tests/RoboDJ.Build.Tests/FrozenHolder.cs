using System.Diagnostics;
using System.Text.Json;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.Pipeline.IO;

namespace RoboDJ.Build.Tests;

/// <summary>A lock holder frozen past the heartbeat limit (issue 25): what the frozen-holder tests do to the build they freeze.</summary>
static class FrozenHolder
{
    /// <summary>
    /// SIGSTOPs <paramref name="build"/>, ages the heartbeat in its lock file as three minutes of SIGSTOP would leave it,
    /// runs <paramref name="secondOperator"/> and SIGCONTs the build, whatever happened.
    /// </summary>
    public static async Task WhileFrozenAsync(Process build, string rotationLock, Func<Task> secondOperator)
    {
        Signal(build.Id, "STOP");
        try
        {
            var held = RotationLock.Read(rotationLock)!;
            AtomicFile.WriteAllBytes(rotationLock, JsonSerializer.SerializeToUtf8Bytes(held with { Heartbeat = DateTimeOffset.UtcNow.AddMinutes(-3) }));
            await secondOperator();
        }
        finally { Signal(build.Id, "CONT"); }
    }

    static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString()])!;
        kill.WaitForExit();
    }
}
