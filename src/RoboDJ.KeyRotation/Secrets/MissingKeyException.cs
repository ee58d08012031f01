namespace RoboDJ.KeyRotation.Secrets;

/// <summary>A key slot that must hold a key is absent or empty.</summary>
public sealed class MissingKeyException(string source, string name)
    : Exception($"{source}: {name} is missing or empty. Fix: set {name} to the deployment's current Fernet key (restore it from the last snapshot if it was lost); a rotation never invents a missing key.")
{
    public string KeySource { get; } = source;
    public string Name { get; } = name;
}
