using RoboDJ.KeyRotation.Announcements;
using RoboDJ.KeyRotation.GitHub;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Tests.Announcements;

namespace RoboDJ.KeyRotation.Tests.GitHub;

/// <summary>The build's GitHub wiring, reached without a build: parameters, channels, stores, masking.</summary>
public sealed class GitHubIntegrationTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static GitHubParameters Parameters(string? repository = "acme/robodj") => new() { Env = "staging", Repository = repository };

    static GitHubIntegration Integration(GitHubParameters parameters, Dictionary<string, string?>? environment = null) =>
        new(parameters, name => (environment ?? []).GetValueOrDefault(name));

    [Theory]
    [InlineData(null)]
    [InlineData("robodj")]
    [InlineData("acme/")]
    [InlineData("acme/robodj/extra")]
    public void A_repository_that_is_not_owner_slash_name_is_refused_naming_the_parameters_file(string? repository)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Parameters(repository).ToOptions());

        Assert.Contains("must be \"owner/name\"", error.Message);
        Assert.Contains(".nuke/parameters.staging.json", error.Message);
        Assert.Contains("--github-repository", error.Message);
    }

    [Fact]
    public void The_options_take_the_base_url_as_a_folder_and_no_tracking_issue_for_zero()
    {
        var options = (Parameters() with { BaseUrl = "https://ghe.example.com", TrackingIssue = 0, Labels = ["a"] }).ToOptions();

        Assert.Equal(("acme", "robodj"), (options.Owner, options.Repository));
        Assert.Equal("https://ghe.example.com/", options.BaseUrl!.AbsoluteUri);
        Assert.Null(options.TrackingIssue);
        Assert.Equal(["a"], options.Labels);
        Assert.Equal(7, (Parameters() with { TrackingIssue = 7 }).ToOptions().TrackingIssue);
    }

    [Fact]
    public async Task A_channel_that_cannot_be_set_up_fails_at_announce_with_its_reason_and_the_parameters_file()
    {
        var channels = Integration(Parameters()).CreateAnnouncements(["log", "github", "webhook", "pager"]);

        Assert.Equal(["log", "github", "webhook", "pager"], channels.Channels.Select(c => c.Channel));
        var report = await channels.AnnounceAsync(new NoticeBuilder().Build(), Ct);
        var failures = report.Failures.ToDictionary(f => f.Channel, f => f.Detail);
        Assert.Contains("GITHUB_TOKEN is not set", failures["github"]);
        Assert.Contains("WEBHOOK_URL is not set", failures["webhook"]);
        Assert.Contains("valid channels: log, github, webhook", failures["pager"]);
        Assert.All(failures.Values, detail => Assert.Contains(".nuke/parameters.staging.json", detail));
    }

    [Fact]
    public void A_bad_repository_makes_the_github_channel_unavailable_rather_than_failing_the_setup()
    {
        var channels = Integration(Parameters("nope"), new() { ["GITHUB_TOKEN"] = "ghs_x" }).CreateAnnouncements(["github"]);

        Assert.IsType<UnavailableAnnouncer>(channels.Channels[1]);
    }

    [Fact]
    public void The_current_keys_skip_empty_variables_as_Actions_maps_a_missing_secret_to_empty()
    {
        var key = FernetKey.Generate();
        var integration = Integration(Parameters(), new() { [KeySlots.PrimaryName] = key.Text, [KeySlots.SecondaryName] = "" });

        Assert.Equal([KeySlots.PrimaryName], integration.CurrentKeysFromEnvironment().Keys);
    }

    [Fact]
    public void The_token_the_webhook_and_the_mapped_keys_are_the_values_to_mask()
    {
        var key = FernetKey.Generate();
        var integration = Integration(Parameters() with { WebhookUrl = "https://hooks.example/T0/B0/abc" },
            new() { ["GITHUB_TOKEN"] = "ghs_token", [KeySlots.PrimaryName] = key.Text });

        Assert.Equal(["ghs_token", "https://hooks.example/T0/B0/abc", key.Text], integration.SecretsToMask());
        Assert.Empty(Integration(Parameters() with { WebhookUrl = "not a url" }).SecretsToMask());
    }

    [Theory]
    [InlineData(StoreKind.GitHubEnvironment, null, "github-environment acme/robodj@staging")]
    [InlineData(StoreKind.GitHubEnvironment, "prod-east", "github-environment acme/robodj@prod-east")]
    [InlineData(StoreKind.GitHubRepository, "ignored", "github-repository acme/robodj")]
    public void The_secret_store_scope_is_the_named_environment_else_the_env(StoreKind kind, string? environment, string description)
    {
        var store = Integration(Parameters(), new() { ["GITHUB_TOKEN"] = "ghs_token" }).CreateSecretStore(kind, "staging", environment);

        Assert.Equal(description, store.Description);
    }

    [Fact]
    public void Without_a_token_the_secret_store_is_refused_with_the_variable_to_set()
    {
        var error = Assert.Throws<GitHubAccessException>(() => Integration(Parameters()).CreateSecretStore(StoreKind.GitHubRepository, "staging", null));

        Assert.Contains("GITHUB_TOKEN is not set", error.Message);
    }
}
