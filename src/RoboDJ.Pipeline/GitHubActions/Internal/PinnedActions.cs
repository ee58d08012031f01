namespace RoboDJ.Pipeline.CI.GitHubActions.Internal;

/// <summary>
/// Third-party actions by full commit SHA, the tag in a comment: a tag can be moved to other code, a commit cannot.
/// Update both together, from the action's own tags (each SHA here is the commit its tag points at). Dependabot
/// (.github/dependabot.yml) proposes new releases in the generated files; copy its SHA and tag here, then run
/// ./build.sh --generate-configuration (the committed-files test names any line that differs).
/// </summary>
static class PinnedActions
{
    public static readonly (string Action, string Commit, string Tag) Checkout = ("actions/checkout", "3d3c42e5aac5ba805825da76410c181273ba90b1", "v7.0.1");
    public static readonly (string Action, string Commit, string Tag) SetupDotNet = ("actions/setup-dotnet", "a98b56852c35b8e3190ac28c8c2271da59106c68", "v6.0.0");
    public static readonly (string Action, string Commit, string Tag) UploadArtifact = ("actions/upload-artifact", "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f", "v7.0.0");
    public static readonly (string Action, string Commit, string Tag) CreateGitHubAppToken = ("actions/create-github-app-token", "1b10c78c7865c340bc4f6099eb2f838309f1e8c3", "v3.1.1");
}
