namespace RoboDJ.Pipeline.Tests.GitHubActions;

/// <summary>The checkout this test assembly was built from: the first folder above it that holds RoboDJ.sln.</summary>
static class RepositoryRoot
{
    public static string Path { get; } = Find();

    static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "RoboDJ.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no RoboDJ.sln above {AppContext.BaseDirectory}");
    }
}
