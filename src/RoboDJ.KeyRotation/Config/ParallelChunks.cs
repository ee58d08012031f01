using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace RoboDJ.KeyRotation.Config;

/// <summary>How census and rewrap use both cores: files side by side, and a big file's fields in parallel ranges.</summary>
static class ParallelChunks
{
    /// <summary>Fields fewer than this in a chunk are done on the scanning thread: a thread hop costs more.</summary>
    const int SerialBelow = 256;

    /// <summary>Runs <paramref name="work"/> over 0..count, in ranges on the thread pool when it is worth it.</summary>
    public static void For(int count, Action<int, int> work)
    {
        if (count < SerialBelow || Environment.ProcessorCount == 1) { work(0, count); return; }
        var size = Math.Max(64, count / (Environment.ProcessorCount * 4));
        Parallel.ForEach(Partitioner.Create(0, count, size), range => work(range.Item1, range.Item2));
    }

    /// <summary>
    /// One result per item, in the items' order, whatever order they finished in. The first failure in that order is
    /// rethrown as it was thrown, so a broken file reports the same way as when files were done one by one.
    /// </summary>
    public static IReadOnlyList<T> Map<TItem, T>(IReadOnlyList<TItem> items, Func<TItem, T> work)
    {
        var results = new T[items.Count];
        var failures = new ExceptionDispatchInfo?[items.Count];
        Parallel.For(0, items.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            try { results[i] = work(items[i]); }
            catch (Exception e) { failures[i] = ExceptionDispatchInfo.Capture(e); }
        });
        foreach (var failure in failures) failure?.Throw();
        return results;
    }
}
