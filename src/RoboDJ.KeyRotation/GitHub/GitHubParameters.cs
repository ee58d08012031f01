namespace RoboDJ.KeyRotation.GitHub;

/// <summary>
/// The GitHub parameters as the build binds them (strings, as typed in .nuke/parameters.&lt;env&gt;.json or on the
/// command line). <see cref="ToOptions"/> turns them into <see cref="GitHubOptions"/>, or says which one to fix.
/// </summary>
public sealed record GitHubParameters
{
    /// <summary>The --env of the run: the parameters file an error points at, and the default GitHub environment.</summary>
    public string? Env { get; init; }
    public string? Repository { get; init; }
    public string? BaseUrl { get; init; }
    public IReadOnlyList<string> Labels { get; init; } = ["key-rotation"];
    public IReadOnlyList<string> IncidentLabels { get; init; } = ["incident"];
    /// <summary>0 or less: open an issue per rotation.</summary>
    public int TrackingIssue { get; init; }
    public string? WebhookUrl { get; init; }

    public string ParametersFile => $".nuke/parameters.{Env}.json";

    /// <exception cref="InvalidOperationException">The repository is not "owner/name".</exception>
    /// <exception cref="UriFormatException">The base URL or the webhook URL is not a URL.</exception>
    public GitHubOptions ToOptions()
    {
        var parts = (Repository ?? "").Split('/');
        if (parts.Length != 2 || parts.Any(p => p.Length == 0))
            throw new InvalidOperationException($"github-repository is \"{Repository}\"; it must be \"owner/name\". " +
                $"Set \"GitHubRepository\" in {ParametersFile} or pass --github-repository owner/name.");
        return new GitHubOptions
        {
            Owner = parts[0],
            Repository = parts[1],
            BaseUrl = string.IsNullOrEmpty(BaseUrl) ? null : new Uri(BaseUrl.EndsWith('/') ? BaseUrl : BaseUrl + "/"),
            Labels = Labels,
            IncidentLabels = IncidentLabels,
            TrackingIssue = TrackingIssue > 0 ? TrackingIssue : null,
            WebhookUrl = WebhookUri,
        };
    }

    public Uri? WebhookUri => string.IsNullOrEmpty(WebhookUrl) ? null : new Uri(WebhookUrl);
}
