namespace RoboDJ.KeyRotation.Runtimes;

public sealed class InvalidComposeProjectNameException(string name)
    : RuntimeException($"'{name}' is not a valid compose project name: it must consist only of lowercase letters, digits, dashes and underscores, and start with a letter or digit. Fix: use e.g. 'robodj' as the project name in .nuke/parameters.<env>.json.")
{
    public string Name { get; } = name;
}
