namespace RoboDJ.Pipeline.IO;

/// <summary>
/// A lease that every write of this flow must still hold: <see cref="AtomicFile"/> and <see cref="AtomicReplacement"/>
/// ask it just before a new file takes its name, so a holder that was paused while another run took its lease over
/// stops before its next write instead of writing over that run's work. Async-local, so it covers what the flow awaits
/// (a rewrap's parallel files included) and nothing the flow does not start.
/// </summary>
public interface IWriteFence
{
    /// <summary>The lease's fencing token (journaled with each line written under it); null while none is held.</summary>
    long? Token { get; }

    /// <summary>Throws when the lease is no longer this holder's; <paramref name="what"/> names the write it stops.</summary>
    void ThrowIfFenced(string what);
}

public static class WriteFence
{
    static readonly AsyncLocal<IWriteFence?> current = new();

    public static IWriteFence? Current => current.Value;

    /// <summary>Puts <paramref name="fence"/> in front of every write of this flow until the result is disposed.</summary>
    public static IDisposable Enter(IWriteFence fence)
    {
        var previous = current.Value;
        current.Value = fence;
        return new Restore(previous);
    }

    public static void ThrowIfFenced(string what) => current.Value?.ThrowIfFenced(what);

    sealed class Restore(IWriteFence? previous) : IDisposable
    {
        public void Dispose() => current.Value = previous;
    }
}
