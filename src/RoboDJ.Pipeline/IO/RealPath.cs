namespace RoboDJ.Pipeline.IO;

/// <summary>A path with every link in it resolved, as realpath(3) gives it, and the containment questions asked of it.</summary>
public static class RealPath
{
    const int MaxLinks = 40;

    /// <summary>The path with every link resolved; a part that does not exist stays as it is. A loop is an <see cref="IOException"/>.</summary>
    public static string Of(string path) => Of(path, 0);

    static string Of(string path, int depth)
    {
        if (depth > MaxLinks) throw new IOException($"{path}: too many levels of symbolic links (a link loop)");
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            current = new FileInfo(next).LinkTarget is { } target ? Of(Path.GetFullPath(target, current), depth + 1) : next;
        }
        return current;
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="folder"/> or lies below it (both real paths).</summary>
    public static bool IsAtOrBelow(string path, string folder) =>
        path == folder || path.StartsWith(folder.EndsWith(Path.DirectorySeparatorChar) ? folder : folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
