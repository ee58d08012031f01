using System.Text.RegularExpressions;

namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>Compose's rule for project names; checked up front because compose would otherwise normalise or reject it late.</summary>
public static partial class ComposeProjectName
{
    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial Regex Pattern();

    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    public static string Validate(string? name) =>
        IsValid(name) ? name! : throw new InvalidComposeProjectNameException(name ?? "");
}
