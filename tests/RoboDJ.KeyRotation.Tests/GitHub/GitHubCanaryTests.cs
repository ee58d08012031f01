using RoboDJ.KeyRotation.Announcements;
using RoboDJ.KeyRotation.GitHub;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Tests.Announcements;
using RoboDJ.Testing;
using Sodium;

namespace RoboDJ.KeyRotation.Tests.GitHub;

/// <summary>
/// Runs the whole GitHub side of a rotation (store write, announce, outcome, incident, errors) with canary keys and a
/// canary token, some of them smuggled into text that comes from outside, and scans everything that left the process.
/// </summary>
public sealed class GitHubCanaryTests : FakeChannelsTest
{
    [Fact]
    public async Task No_form_of_a_canary_key_or_the_token_leaves_the_process_except_inside_the_sealed_box()
    {
        var gitHubKeys = PublicKeyBox.GenerateKeyPair();
        var builder = new NoticeBuilder().For("production");
        var newPrimary = FernetKey.Generate();
        builder.WithBroadcast($"Night show (debug: {builder.OldSecondary.Text})");
        github.On("GET", "environments/production/secrets/public-key", 200, FakeGitHub.PublicKey("k1", gitHubKeys.PublicKey))
              .On("PUT", "environments/production/secrets/ROBODJ_SECRET_V2_KEY", 201)
              .On("PUT", "environments/production/secrets/ROBODJ_SECRET_KEY", 201)
              .On("POST", "issues", 201, FakeGitHub.Issue(12))
              .On("POST", "issues/12/comments", 201, FakeGitHub.Comment(12, 3))
              .OnError("PATCH", "issues/12", 403, $"token {github.Token} lacks issues: write");
        webhook.Answers(500, 200);
        var options = github.Options() with { WebhookUrl = webhook.Url };
        var client = github.Client(options);
        var environment = new Dictionary<string, string?>
        {
            [KeySlots.PrimaryName] = builder.OldPrimary.Text,
            [KeySlots.SecondaryName] = builder.OldSecondary.Text,
            [GitHubClientFactory.TokenVariable] = github.Token,
        };
        var store = new GitHubSecretStore(client, options, GitHubSecretScope.ForEnvironment("production"), environment, logger: log.Logger);
        var channels = AnnouncementChannels.Configure(options, client, http,
            new WebhookOptions { InitialBackoff = TimeSpan.FromMilliseconds(10) }, log.Logger);
        var outputs = new List<string>();

        var old = await store.ReadAsync(Ct);
        outputs.Add(store.DescribeWrite(new KeySlots(newPrimary, old.Primary)));
        var announced = await channels.AnnounceAsync(builder.Build(), Ct);
        await store.WriteAsync(new KeySlots(newPrimary, old.Primary), Ct);
        var outcome = await channels.ReportOutcomeAsync(
            new RotationOutcome(OutcomeKind.Succeeded, "production", $"Verify passed with {newPrimary.Text}", newPrimary.Fingerprint, builder.OldPrimary.Fingerprint), Ct);
        var incident = await channels.OpenIncidentAsync($"Rollback {builder.OldPrimary.Text}", $"restored V1 {builder.OldPrimary.Text}", Ct);
        outputs.AddRange(new[] { announced, outcome, incident }.SelectMany(r => r.Channels).Select(c => $"{c} {c.Error}"));

        // The scan means something only if the secrets were really in play: the token authenticated, the keys were sealed.
        Assert.All(github.Requests, r => Assert.Contains(github.Token, r.Headers["Authorization"]));
        var sealedV1 = github.Writes.Single(w => w.Path.EndsWith("/ROBODJ_SECRET_KEY")).Json["encrypted_value"]!.ToString();
        Assert.Equal(newPrimary.Text, System.Text.Encoding.UTF8.GetString(SealedPublicKeyBox.Open(Convert.FromBase64String(sealedV1), gitHubKeys.PrivateKey, gitHubKeys.PublicKey)));
        Assert.False(outcome.AllSucceeded);

        string[] canaries = [builder.OldPrimary.Text, builder.OldSecondary.Text, newPrimary.Text, github.Token];
        foreach (var request in github.Requests) Canary.AssertAbsent(request.Body, canaries, $"the body of {request}");
        foreach (var body in webhook.Bodies) Canary.AssertAbsent(body, canaries, "a webhook body");
        Canary.AssertAbsent(log.Text, canaries, "the log");
        Canary.AssertAbsent(string.Join("\n", outputs), canaries, "the reports, errors and dry-run text");
    }
}
