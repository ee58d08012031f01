namespace RoboDJ.Testing;

/// <summary>The checkout these tests were built from: the folder above the test binaries that holds .nuke/ and build.sh.</summary>
public static class RepositoryRoot
{
    static readonly Lazy<string> path = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(System.IO.Path.Combine(dir.FullName, ".nuke")) && File.Exists(System.IO.Path.Combine(dir.FullName, "build.sh")))
                return dir.FullName;
        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds .nuke/ and build.sh.");
    });

    public static string Path => path.Value;
    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);
}
