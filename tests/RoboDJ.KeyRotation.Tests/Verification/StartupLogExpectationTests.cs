using RoboDJ.KeyRotation.Verification;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Verification;

/// <summary>Only the PASS line of the process Start launched, with the expected V1, counts.</summary>
public sealed class StartupLogExpectationTests : IDisposable
{
    readonly TempDir temp = new();
    string LogPath => temp.Combine("startup_safety_events.jsonl");
    StartupLog Log => new(LogPath) { PollInterval = TimeSpan.FromMilliseconds(20) };
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    public void Dispose() => temp.Dispose();

    static string Line(string text, int? pid, string? v1) =>
        "{\"message\": \"Key presence/integrity check: " + text + "\"" + (pid is { } p ? $", \"pid\": {p}" : "") + (v1 is null ? "" : $", \"v1\": \"{v1}\"") + "}\n";

    static PassExpectation Expect(int pid, string v1) => new(new HashSet<int> { pid }, v1);

    [Fact]
    public async Task A_pass_of_another_pid_is_ignored_and_the_pass_of_ours_counts()
    {
        File.WriteAllText(LogPath, Line("PASS", 111, "aaaaaaaaaaaa") + Line("PASS", 222, "bbbbbbbbbbbb"));
        var check = await Log.WaitForPassAsync(0, TimeSpan.FromSeconds(5), null, Ct, Expect(222, "bbbbbbbbbbbb"));
        Assert.Contains("\"pid\": 222", check.Line);
    }

    [Fact]
    public async Task A_pass_that_logs_the_fingerprint_without_its_sha256_prefix_counts()
    {
        File.WriteAllText(LogPath, Line("PASS", 333, "0a1b2c3d4e5f"));
        var check = await Log.WaitForPassAsync(0, TimeSpan.FromSeconds(5), null, Ct, Expect(333, "sha256:0a1b2c3d4e5f"));
        Assert.Contains("\"pid\": 333", check.Line);
    }

    [Fact]
    public async Task Only_an_orphans_pass_times_out_and_the_message_names_what_was_ignored()
    {
        File.WriteAllText(LogPath, Line("PASS", 111, "bbbbbbbbbbbb"));
        var e = await Assert.ThrowsAsync<StartupCheckTimeoutException>(() =>
            Log.WaitForPassAsync(0, TimeSpan.FromMilliseconds(300), null, Ct, Expect(222, "bbbbbbbbbbbb")));
        Assert.Contains("pid 111, not from the expected app (pid 222)", e.Message);
    }

    [Fact]
    public async Task A_pass_of_our_pid_with_another_V1_fails_at_once()
    {
        File.WriteAllText(LogPath, Line("PASS", 222, "aaaaaaaaaaaa"));
        var e = await Assert.ThrowsAsync<StartupCheckWrongKeyException>(() =>
            Log.WaitForPassAsync(0, TimeSpan.FromSeconds(30), null, Ct, Expect(222, "bbbbbbbbbbbb")));
        Assert.Contains("reports V1 aaaaaaaaaaaa, not the expected bbbbbbbbbbbb", e.Message);
    }

    [Fact]
    public async Task A_fail_line_of_another_pid_does_not_fail_our_start()
    {
        File.WriteAllText(LogPath, Line("FAIL", 111, null) + Line("PASS", 222, "bbbbbbbbbbbb"));
        Assert.True((await Log.WaitForPassAsync(0, TimeSpan.FromSeconds(5), null, Ct, Expect(222, "bbbbbbbbbbbb"))).Passed);
    }

    [Fact]
    public async Task Without_a_pid_the_V1_decides_a_wrong_one_is_ignored_and_the_right_one_counts()
    {
        File.WriteAllText(LogPath, Line("PASS", null, "aaaaaaaaaaaa"));
        await Assert.ThrowsAsync<StartupCheckTimeoutException>(() =>
            Log.WaitForPassAsync(0, TimeSpan.FromMilliseconds(300), null, Ct, Expect(222, "bbbbbbbbbbbb")));
        File.AppendAllText(LogPath, Line("PASS", null, "bbbbbbbbbbbb"));
        Assert.True((await Log.WaitForPassAsync(0, TimeSpan.FromSeconds(5), null, Ct, Expect(222, "bbbbbbbbbbbb"))).Passed);
    }

    [Fact]
    public void A_line_with_neither_pid_nor_V1_counts_with_a_warning()
    {
        using var doc = System.Text.Json.JsonDocument.Parse(Line("PASS", null, null));
        var verdict = Expect(222, "bbbbbbbbbbbb").Judge(doc.RootElement, passed: true);
        Assert.Equal(LineVerdict.Kind.Counts, verdict.What);
        Assert.Contains("neither a pid nor a V1", verdict.Why);
    }
}
