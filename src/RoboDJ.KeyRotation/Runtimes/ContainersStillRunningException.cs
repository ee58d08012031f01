namespace RoboDJ.KeyRotation.Runtimes;

public sealed class ContainersStillRunningException(string project, IEnumerable<RuntimeUnit> running)
    : RuntimeException($"compose project '{project}' still has running containers after down: {string.Join(", ", running.Select(u => $"{u.Name} ({u.Id})"))}. Fix: stop them by hand (docker stop <id>) and check why compose left them, e.g. a different compose file or project name.");
