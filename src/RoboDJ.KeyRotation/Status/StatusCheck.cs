using RoboDJ.KeyRotation.Secrets;
using Serilog;
using RoboDJ.Pipeline.IO;

namespace RoboDJ.KeyRotation.Status;

/// <summary>The Status target: read, show, optionally write the JSON form, and fail with the verdict when unhealthy.</summary>
public static class StatusCheck
{
    /// <summary>Returns the target's note; throws <see cref="DeploymentUnhealthyException"/> when the verdict is not healthy.</summary>
    /// <param name="seen">Called with what was read before the verdict is thrown, e.g. to add the job summary's section.</param>
    public static async Task<string> RunAsync(StatusReader reader, TimeSpan maxKeyAge, string? jsonPath, CancellationToken cancellationToken,
        Action<DeploymentStatus>? seen = null)
    {
        var status = await reader.ReadAsync(maxKeyAge, DateTimeOffset.UtcNow, cancellationToken);
        foreach (var (label, text) in status.Facts()) Log.Information("{Fact}: {Value}", label, text);
        seen?.Invoke(status);
        if (jsonPath is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(jsonPath)!);
            AtomicFile.WriteAllText(jsonPath, status.ToJson() + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            Log.Information("Status as JSON: {Path}", jsonPath);
        }
        if (status.Verdict != StatusVerdict.Healthy) throw new DeploymentUnhealthyException(status);
        return Note(status);
    }

    /// <summary>
    /// The scheduled reminder (target Remind): what Status sees decides the one reminder issue; a problem other than the key's
    /// age still fails the target (with Status's note), so the scheduled job shows it.
    /// </summary>
    public static async Task<string> RemindAsync(StatusReader reader, RotationReminder reminder, Effects.IEffects effects, TimeSpan maxKeyAge, CancellationToken cancellationToken,
        Action<DeploymentStatus>? seen = null)
    {
        var status = await reader.ReadAsync(maxKeyAge, DateTimeOffset.UtcNow, cancellationToken);
        foreach (var (label, text) in status.Facts()) Log.Information("{Fact}: {Value}", label, text);
        seen?.Invoke(status);
        var note = await reminder.RemindAsync(status, effects, cancellationToken);
        if (status.Verdict is not (StatusVerdict.Healthy or StatusVerdict.KeyOverdue)) throw new DeploymentUnhealthyException(status);
        return note;
    }

    /// <summary>Exit codes of Status (README): 0 healthy, then one per verdict, the most urgent winning.</summary>
    public static int ExitCode(StatusVerdict verdict) => verdict switch
    {
        StatusVerdict.Healthy => 0,
        StatusVerdict.KeyOverdue => 6,
        StatusVerdict.AppUnhealthy => 7,
        StatusVerdict.FieldUndecryptable => 8,
        StatusVerdict.RotationUnfinished => 9,
        _ => 1,
    };

    public static string Note(DeploymentStatus status) => status.Verdict switch
    {
        StatusVerdict.Healthy => $"healthy: V1 {status.V1.Fingerprint}" + (status.V1.AgeDays is { } d ? $", {d} of {status.MaxKeyAgeDays} days" : ", age unknown") + $", {status.Census.Total} field(s) readable",
        StatusVerdict.KeyOverdue => $"V1 {status.V1.Fingerprint} is {status.V1.AgeDays} days old, over the {status.MaxKeyAgeDays}-day policy: rotate it",
        StatusVerdict.AppUnhealthy => status.App.Detail,
        StatusVerdict.FieldUndecryptable => $"{status.Census.Undecryptable} field(s) open with neither V1 nor V2: {string.Join(", ", status.Census.UndecryptableFields.Take(3))}",
        StatusVerdict.RotationUnfinished => $"rotation {status.Unfinished!.Id} is unfinished: {status.Unfinished.NextStep}",
        _ => status.Verdict.ToString(),
    };
}

/// <summary>Status found a problem; the build maps <see cref="Verdict"/> to its exit code.</summary>
public sealed class DeploymentUnhealthyException(DeploymentStatus status) : Exception(StatusCheck.Note(status))
{
    public DeploymentStatus Status { get; } = status;
    public int ExitCode => StatusCheck.ExitCode(Status.Verdict);
}
