namespace RoboDJ.Pipeline.CI.GitHubActions.Internal;

/// <summary>
/// Third-party actions by full commit SHA, the tag in a comment: a tag can be moved to other code, a commit cannot.
/// Update both together, from the action's own release list.
/// </summary>
static class PinnedActions
{
    public static readonly (string Action, string Commit, string Tag) Checkout = ("actions/checkout", "34e114876b0b11c390a56381ad16ebd13914f8d5", "v4.3.1");
    public static readonly (string Action, string Commit, string Tag) SetupDotNet = ("actions/setup-dotnet", "67a3573c9a986a3f9c594539f4ab511d57bb3ce9", "v4.3.1");
    public static readonly (string Action, string Commit, string Tag) UploadArtifact = ("actions/upload-artifact", "ea165f8d65b6e75b540449e92b4886f43607fa02", "v4.6.2");
}
