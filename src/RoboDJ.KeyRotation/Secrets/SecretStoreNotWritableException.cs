namespace RoboDJ.KeyRotation.Secrets;

/// <summary>The secret store cannot be written; raised before anything is written.</summary>
public sealed class SecretStoreNotWritableException(string store, string problem, string fix)
    : Exception($"{store}: {problem}. Fix: {fix}")
{
    public string Store { get; } = store;
}
