namespace RoboDJ.KeyRotation.Secrets;

/// <summary>The secret store cannot be written; raised before anything is written.</summary>
public sealed class SecretStoreNotWritableException(string store, string problem, string fix)
    : Exception($"{store}: {problem}. Fix: {fix}")
{
    /// <summary>The store's file cannot be replaced: its problem and fix, told as the store's.</summary>
    public SecretStoreNotWritableException(string store, FileNotWritableException refusal) : this(store, refusal.Problem, refusal.Fix) { }

    public string Store { get; } = store;
}
