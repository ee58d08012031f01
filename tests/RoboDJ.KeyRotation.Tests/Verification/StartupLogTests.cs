using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Verification;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Verification;

public sealed class StartupLogTests : IDisposable
{
    readonly TempDir temp = new();
    string LogPath => temp.Combine("startup_safety_events.jsonl");
    StartupLog Log => new(LogPath) { PollInterval = TimeSpan.FromMilliseconds(20) };
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    public void Dispose() => temp.Dispose();

    const string Pass = "{\"message\": \"Key presence/integrity check: PASS\"}\n";

    [Fact]
    public async Task A_pass_written_before_the_offset_does_not_count()
    {
        File.WriteAllText(LogPath, Pass);
        var offset = Log.CurrentOffset();
        await Assert.ThrowsAsync<StartupCheckTimeoutException>(() => Log.WaitForPassAsync(offset, TimeSpan.FromMilliseconds(200), null, Ct));
    }

    [Theory]
    [InlineData("message")]
    [InlineData("msg")]
    [InlineData("event")]
    public async Task A_pass_after_the_offset_is_found_in_any_message_field(string field)
    {
        File.WriteAllText(LogPath, "{\"message\": \"Key presence/integrity check: FAIL\"}\n");
        var offset = Log.CurrentOffset();
        File.AppendAllText(LogPath, "{\"level\": \"info\", \"" + field + "\": \"Key presence/integrity check: PASS\"}\n");
        var check = await Log.WaitForPassAsync(offset, TimeSpan.FromSeconds(5), null, Ct);
        Assert.True(check.Passed);
        Assert.Equal(offset, check.Offset);
    }

    [Fact]
    public async Task A_line_written_in_two_pieces_is_read_once_it_is_complete()
    {
        var waiting = Log.WaitForPassAsync(0, TimeSpan.FromSeconds(5), null, Ct);
        File.WriteAllText(LogPath, Pass[..20]);
        await Task.Delay(150, Ct);
        Assert.False(waiting.IsCompleted);
        File.AppendAllText(LogPath, Pass[20..]);
        Assert.True((await waiting).Passed);
    }

    [Fact]
    public async Task A_fail_line_fails_at_once_with_the_line_redacted()
    {
        var key = FernetKey.Generate();
        var started = DateTime.UtcNow;
        File.WriteAllText(LogPath, "{\"event\": \"Key presence/integrity check: FAIL\", \"detail\": \"bad key " + key.Text + "\"}\n");
        var e = await Assert.ThrowsAsync<StartupCheckFailedException>(() => Log.WaitForPassAsync(0, TimeSpan.FromSeconds(30), null, Ct));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
        Assert.Contains("bad key", e.Message);
        Canary.AssertAbsent(e.Message, [key.Text], "the FAIL exception");
    }

    [Fact]
    public async Task The_timeout_names_the_log_and_the_offset_and_progress_is_reported()
    {
        File.WriteAllText(LogPath, "{\"message\": \"starting\"}\n");
        var offset = Log.CurrentOffset();
        var reports = new List<LogMessage>();
        var e = await Assert.ThrowsAsync<StartupCheckTimeoutException>(() =>
            Log.WaitForPassAsync(offset, TimeSpan.FromMilliseconds(300), new SyncProgress(reports), Ct));
        Assert.Contains(LogPath, e.Message);
        Assert.Contains($"byte {offset}", e.Message);
        Assert.NotEmpty(reports);
        // Named values, not one sentence: the log file keeps the path and the offset as properties of their own.
        Assert.Equal("waiting for \"{PassText}\" in {StartupLog} after byte {Offset} ({SecondsLeft} s left)", reports[0].Template);
        Assert.Equal((LogPath, offset), ((string)reports[0].Values[1]!, (long)reports[0].Values[2]!));
        Assert.StartsWith($"waiting for \"Key presence/integrity check: PASS\" in {LogPath} after byte {offset} (", reports[0].ToString());
    }

    [Fact]
    public async Task The_check_reads_only_what_follows_the_offset()
    {
        // Bytes before the offset are not even valid UTF-8 JSON: reading them would not find the PASS anyway,
        // but a reader that starts at 0 would see the old PASS line first.
        File.WriteAllText(LogPath, Pass + new string('x', 100_000) + "\n");
        var offset = Log.CurrentOffset();
        File.AppendAllText(LogPath, "{\"message\": \"Key presence/integrity check: FAIL\"}\n");
        await Assert.ThrowsAsync<StartupCheckFailedException>(() => Log.WaitForPassAsync(offset, TimeSpan.FromSeconds(5), null, Ct));
    }

    sealed class SyncProgress(List<LogMessage> into) : IProgress<LogMessage>
    {
        public void Report(LogMessage value) { lock (into) into.Add(value); }
    }
}
