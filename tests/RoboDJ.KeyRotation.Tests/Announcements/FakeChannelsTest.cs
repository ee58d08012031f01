using RoboDJ.KeyRotation.Tests.GitHub;

namespace RoboDJ.KeyRotation.Tests.Announcements;

/// <summary>A fake GitHub, a fake webhook and a captured log on 127.0.0.1, for tests that run every channel at once.</summary>
public abstract class FakeChannelsTest : IDisposable
{
    protected readonly FakeGitHub github = new();
    protected readonly FakeWebhook webhook = new();
    protected readonly HttpClient http = new();
    protected readonly CapturedLog log = new();

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        http.Dispose();
        webhook.Dispose();
        github.Dispose();
        GC.SuppressFinalize(this);
    }
}
