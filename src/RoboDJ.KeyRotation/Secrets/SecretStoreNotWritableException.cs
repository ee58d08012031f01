namespace RoboDJ.KeyRotation.Secrets;

/// <summary>The secret store cannot be written; raised before anything is written.</summary>
public sealed class SecretStoreNotWritableException : Exception
{
    public SecretStoreNotWritableException(string store, string problem, string fix) : base($"{store}: {problem}. Fix: {fix}") => Store = store;

    /// <summary>The store's file cannot be replaced: the refusal word for word, so that Preflight shows it once.</summary>
    public SecretStoreNotWritableException(string store, FileNotWritableException refusal) : base(refusal.Message, refusal) => Store = store;

    public string Store { get; }
}
