namespace RoboDJ.KeyRotation.Journal;

/// <summary>Who ran the rotation: the GitHub actor under Actions, else the local user.</summary>
public static class Actor
{
    public static string Current()
    {
        string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;
        if (Env("GITHUB_ACTOR") is { } actor) return "github:" + actor;
        return Env("USER") ?? Env("USERNAME") ?? Environment.UserName;
    }
}
