using System.Globalization;
using Docker.DotNet.Models;

namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>Where one container stands while Start waits: ready, still coming up, or failed for good.</summary>
public sealed record ContainerReadiness(string Service, string Id, string Image, bool Tty, ReadinessState State, string Note)
{
    public static ContainerReadiness Of(ContainerInspectResponse c, DateTimeOffset notBefore)
    {
        var service = DockerEngine.Service(c.Config?.Labels);
        var id = DockerEngine.ShortId(c.ID);
        var image = c.Config?.Image ?? c.Image;
        var tty = c.Config?.Tty ?? false;
        var state = c.State;
        var health = state?.Health?.Status;
        ContainerReadiness With(ReadinessState s, string note) => new(service, id, image, tty, s, note);

        if (state is null) return With(ReadinessState.Waiting, "no state yet");
        if (state.Status is "exited" or "dead") return With(ReadinessState.Failed, $"{state.Status} (exit code {state.ExitCode})");
        if (health == "unhealthy") return With(ReadinessState.Failed, "unhealthy");
        if (!state.Running) return With(ReadinessState.Waiting, state.Status ?? "not running");
        if (ParseDockerTime(state.StartedAt) is { } started && started <= notBefore)
            return With(ReadinessState.Waiting, "running since before the rotation began (not recreated)");
        if (health is not null && health != "healthy") return With(ReadinessState.Waiting, health);
        return With(ReadinessState.Ready, health ?? "running");
    }

    /// <summary>Docker writes RFC 3339 with nanoseconds; .NET parses at most 7 fraction digits.</summary>
    public static DateTimeOffset? ParseDockerTime(object? value)
    {
        switch (value)
        {
            case DateTime dt: return new DateTimeOffset(DateTime.SpecifyKind(dt, dt.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : dt.Kind));
            case DateTimeOffset dto: return dto;
            case string s when s.Length > 0:
                var dot = s.IndexOf('.');
                if (dot > 0)
                {
                    var end = dot + 1;
                    while (end < s.Length && char.IsDigit(s[end])) end++;
                    var digits = s[(dot + 1)..end];
                    s = s[..(dot + 1)] + (digits.Length > 7 ? digits[..7] : digits) + s[end..];
                }
                return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) && parsed.Year > 1
                    ? parsed : null;
            default: return null;
        }
    }
}

public enum ReadinessState { Waiting, Ready, Failed }
