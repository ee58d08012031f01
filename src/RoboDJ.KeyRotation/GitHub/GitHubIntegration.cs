using Octokit;
using RoboDJ.KeyRotation.Announcements;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Pipeline;

namespace RoboDJ.KeyRotation.GitHub;

/// <summary>
/// What the build needs from GitHub, made from its parameters and its process environment: the client (one per run),
/// the GitHub key stores, the announcement channels, and the values to mask before any output. The token comes only
/// from GITHUB_TOKEN; the current keys of a GitHub store from ROBODJ_SECRET_KEY/ROBODJ_SECRET_V2_KEY, which the
/// workflow maps from secrets.
/// </summary>
public sealed class GitHubIntegration(GitHubParameters parameters, Func<string, string?> environment)
{
    public static readonly string[] KnownChannels = ["log", "github", "webhook"];
    IGitHubClient? client;
    HttpClient? webhookHttp;

    public GitHubOptions Options => parameters.ToOptions();

    public IGitHubClient Client => client ??= GitHubClientFactory.Create(Options, GitHubClientFactory.TokenFrom(
        new Dictionary<string, string?> { [GitHubClientFactory.TokenVariable] = environment(GitHubClientFactory.TokenVariable) }));

    /// <summary>An empty variable is an absent slot: Actions maps a secret that does not exist to "".</summary>
    public Dictionary<string, string?> CurrentKeysFromEnvironment() =>
        new[] { KeySlots.PrimaryName, KeySlots.SecondaryName }
            .Where(name => environment(name) is { Length: > 0 })
            .ToDictionary(name => name, name => environment(name));

    /// <summary>The GitHub secrets of the store's scope (the environment defaults to --env).</summary>
    public GitHubSecretStore CreateSecretStore(StoreKind kind, string env, string? gitHubEnvironment)
    {
        var scope = kind == StoreKind.GitHubEnvironment
            ? GitHubSecretScope.ForEnvironment(string.IsNullOrEmpty(gitHubEnvironment) ? env : gitHubEnvironment)
            : GitHubSecretScope.Repository;
        return new GitHubSecretStore(Client, Options, scope, CurrentKeysFromEnvironment());
    }

    /// <summary>
    /// The store of --store github-*: the GitHub secrets, delivered to the deployment's .env, which the app reads.
    /// A difference between the two is explained only by an unfinished rotation's journal.
    /// </summary>
    public ISecretStore CreateDeliveredStore(DeploymentSettings settings, string? gitHubEnvironment) => new DeliveredGitHubSecretStore(
        CreateSecretStore(settings.Store, settings.Env, gitHubEnvironment), new DotEnvSecretStore(settings.Paths.DotEnv),
        () => Journal.RotationJournal.FindUnfinished(settings.Paths.KeyRotation) is not null);

    /// <summary>
    /// The log always; github and webhook as named. A channel that cannot be set up fails at Announce
    /// (<see cref="UnavailableAnnouncer"/>), where the env's policy applies, rather than here.
    /// </summary>
    public AnnouncementChannels CreateAnnouncements(IEnumerable<string> channelNames)
    {
        var channels = new List<IAnnouncer> { new LogAnnouncer() };
        foreach (var name in channelNames.Distinct())
        {
            try
            {
                if (name == "github") channels.Add(new GitHubIssueAnnouncer(Client, Options));
                else if (name == "webhook")
                    channels.Add(new WebhookAnnouncer(webhookHttp ??= Http.BoundedHttp.Client(TimeSpan.FromSeconds(100)), parameters.WebhookUri ?? throw new InvalidOperationException(
                        "WEBHOOK_URL is not set; set it (in Actions from the ROBODJ_WEBHOOK_URL secret) or remove webhook from AnnounceChannels")));
                else if (name != "log")
                    throw new InvalidOperationException($"there is no such channel; valid channels: {string.Join(", ", KnownChannels)}");
            }
            catch (Exception e) when (e is GitHubAccessException or InvalidOperationException or UriFormatException)
            {
                channels.Add(new UnavailableAnnouncer(name, $"{SecretRedactor.Redact(e.Message)} ({parameters.ParametersFile})"));
            }
        }
        return new AnnouncementChannels(channels);
    }

    /// <summary>The token, the webhook URL and the keys the job was given: masked before any other output.</summary>
    public IEnumerable<string> SecretsToMask()
    {
        if (environment(GitHubClientFactory.TokenVariable) is { Length: > 0 } token) yield return token;
        if (!string.IsNullOrEmpty(parameters.WebhookUrl) && Uri.TryCreate(parameters.WebhookUrl, UriKind.Absolute, out var webhook)) yield return webhook.AbsoluteUri;
        foreach (var value in CurrentKeysFromEnvironment().Values) yield return value!;
    }
}
