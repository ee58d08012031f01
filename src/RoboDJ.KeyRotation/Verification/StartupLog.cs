using System.Text;
using System.Text.Json;
using RoboDJ.Pipeline;
using Serilog;

namespace RoboDJ.KeyRotation.Verification;

/// <summary>
/// config/logs/startup_safety_events.jsonl, read only from the byte offset taken at Start, so the check costs the new
/// bytes and never the log's history. A line the app is still writing is kept until its newline arrives.
/// </summary>
public sealed class StartupLog(string path)
{
    public const string PassText = "Key presence/integrity check: PASS";
    public const string FailText = "Key presence/integrity check: FAIL";
    static readonly string[] MessageFields = ["message", "msg", "event"];

    public string Path => path;
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The offset to read from after the app starts: the log's current length (0 when it does not exist yet).</summary>
    public long CurrentOffset() => File.Exists(path) ? new FileInfo(path).Length : 0;

    /// <summary>
    /// Waits for the PASS line written after <paramref name="offset"/> by the expected process with the expected V1
    /// (<see cref="PassExpectation"/>). A FAIL line of that process, or its PASS with another V1, fails at once with the
    /// line, redacted; lines of other processes are ignored with a warning; a timeout fails naming the log, the offset
    /// and what was ignored. While it waits, and when a PASS counts, the launched app must still run: one that exited
    /// fails at once, whatever lines follow.
    /// </summary>
    public async Task<StartupCheck> WaitForPassAsync(long offset, TimeSpan timeout, IProgress<LogMessage>? progress, CancellationToken cancellationToken,
        PassExpectation? expected = null)
    {
        expected ??= PassExpectation.Anyone;
        var ignored = new List<string>();
        var deadline = DateTimeOffset.UtcNow + timeout;
        var position = offset;
        var pending = new List<byte>();
        var lastReport = DateTimeOffset.MinValue;
        var nextLivenessCheck = DateTimeOffset.MinValue;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (File.Exists(path))
            {
                var length = new FileInfo(path).Length;
                if (length < position) { position = 0; pending.Clear(); } // the log was rotated or truncated
                if (length > position)
                {
                    var chunk = await ReadFromAsync(position, length - position, cancellationToken);
                    position += chunk.Length;
                    pending.AddRange(chunk);
                    if (Scan(pending, expected, ignored) is { } result)
                    {
                        await RequireRunningAsync(expected, offset, ignored, cancellationToken);
                        return result with { Offset = offset };
                    }
                }
            }
            var now = DateTimeOffset.UtcNow;
            if (now >= nextLivenessCheck)
            {
                await RequireRunningAsync(expected, offset, ignored, cancellationToken);
                nextLivenessCheck = now + TimeSpan.FromSeconds(1);
            }
            if (now >= deadline)
                throw new StartupCheckTimeoutException(path, offset, timeout, ignored);
            if (now - lastReport >= TimeSpan.FromSeconds(2))
            {
                progress?.Report(new("waiting for \"{PassText}\" in {StartupLog} after byte {Offset} ({SecondsLeft} s left)", PassText, path, offset, (int)Math.Round((deadline - now).TotalSeconds)));
                lastReport = now;
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    async Task RequireRunningAsync(PassExpectation expected, long offset, List<string> ignored, CancellationToken cancellationToken)
    {
        if (expected.StillRunning is { } running && !await running(cancellationToken))
            throw new StartupCheckAppExitedException(path, offset, expected.Pids, ignored);
    }

    /// <summary>
    /// Whether the app's key checks in the last <paramref name="tailBytes"/> before <paramref name="offset"/> name their
    /// pid: then a line after it that names none is not the app's. Reads only that tail.
    /// </summary>
    public async Task<bool> NamesPidsBeforeAsync(long offset, long tailBytes, CancellationToken cancellationToken)
    {
        if (!File.Exists(path) || offset == 0) return false;
        var from = Math.Max(0, offset - tailBytes);
        var text = Encoding.UTF8.GetString(await ReadFromAsync(from, offset - from, cancellationToken));
        foreach (var line in text.Split('\n'))
        {
            var message = MessageOf(line.TrimEnd('\r'));
            if (message is null || !(message.Contains(PassText, StringComparison.Ordinal) || message.Contains(FailText, StringComparison.Ordinal))) continue;
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.TryGetProperty("pid", out var pid) && pid.ValueKind == JsonValueKind.Number) return true;
        }
        return false;
    }

    /// <summary>
    /// For a standalone Verify, which has no offset from Start: the latest key check in the log's last
    /// <paramref name="tailBytes"/>, or null when there is none. Reads only that tail.
    /// </summary>
    public async Task<StartupCheck?> LastCheckAsync(long tailBytes, CancellationToken cancellationToken)
    {
        if (!File.Exists(path)) return null;
        var length = new FileInfo(path).Length;
        var from = Math.Max(0, length - tailBytes);
        var text = Encoding.UTF8.GetString(await ReadFromAsync(from, length - from, cancellationToken));
        foreach (var line in text.Split('\n').Reverse())
        {
            var message = MessageOf(line.TrimEnd('\r'));
            if (message is null) continue;
            if (message.Contains(PassText, StringComparison.Ordinal)) return new StartupCheck(true, SecretRedactor.Redact(line), from);
            if (message.Contains(FailText, StringComparison.Ordinal)) return new StartupCheck(false, SecretRedactor.Redact(line), from);
        }
        return null;
    }

    const string NotALogFix = "remove it; the app writes a new startup_safety_events.jsonl when it starts";

    /// <summary>Preflight's check: the log, when there is one, is a regular file Verify can read (not a FIFO, a device or a folder).</summary>
    public static string? ProblemWith(string path) =>
        !Pipeline.IO.FileStatus.Of(path).Exists ? null
        : Pipeline.IO.InputFile.Problem(path) is { } problem ? $"the app's startup log {problem}, so Verify could not read the key check. Fix: {NotALogFix}." : null;

    async Task<byte[]> ReadFromAsync(long position, long count, CancellationToken cancellationToken)
    {
        // Through the one input reader: a FIFO planted as the log held Verify in open() until SIGTERM.
        await using var stream = Pipeline.IO.InputFile.Open(path, long.MaxValue, NotALogFix);
        stream.Seek(position, SeekOrigin.Begin);
        var buffer = new byte[count];
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        return read == buffer.Length ? buffer : buffer[..read];
    }

    /// <summary>Consumes complete lines from <paramref name="pending"/>, leaving a partial last line for the next read.</summary>
    StartupCheck? Scan(List<byte> pending, PassExpectation expected, List<string> ignored)
    {
        int newline;
        while ((newline = pending.IndexOf((byte)'\n')) >= 0)
        {
            var line = Encoding.UTF8.GetString(pending.GetRange(0, newline).ToArray()).TrimEnd('\r');
            pending.RemoveRange(0, newline + 1);
            var message = MessageOf(line);
            if (message is null) continue;
            var passed = message.Contains(PassText, StringComparison.Ordinal);
            if (!passed && !message.Contains(FailText, StringComparison.Ordinal)) continue;
            using var doc = JsonDocument.Parse(line);
            var verdict = expected.Judge(doc.RootElement, passed);
            var redacted = SecretRedactor.Redact(line);
            switch (verdict.What)
            {
                case LineVerdict.Kind.Ignored:
                    Log.Warning("Ignored a key check line in {Path}: {Why}: {Line}", path, verdict.Why, redacted);
                    ignored.Add($"{verdict.Why}: {redacted}");
                    continue;
                case LineVerdict.Kind.WrongKey:
                    throw new StartupCheckWrongKeyException(path, verdict.Why!, redacted);
            }
            if (!passed) throw new StartupCheckFailedException(path, redacted);
            if (verdict.Why is { } warning) Log.Warning("{Path}: {Warning}", path, warning);
            return new StartupCheck(true, redacted, 0);
        }
        return null;
    }

    static string? MessageOf(string line)
    {
        if (line.Length == 0 || line[0] != '{') return null;
        try
        {
            using var doc = JsonDocument.Parse(line);
            foreach (var field in MessageFields)
                if (doc.RootElement.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String)
                    return value.GetString();
        }
        catch (JsonException) { }
        return null;
    }
}

/// <summary>The PASS line found, redacted, and the offset the search began at.</summary>
public sealed record StartupCheck(bool Passed, string Line, long Offset);

public sealed class StartupCheckFailedException(string path, string redactedLine)
    : Exception($"{path}: the app reported \"{StartupLog.FailText}\": {redactedLine}. The keys in the store do not match what the app needs; Rollback restores the previous ones.");

public sealed class StartupCheckTimeoutException(string path, long offset, TimeSpan timeout, IReadOnlyList<string>? ignored = null)
    : Exception($"{path}: no \"{StartupLog.PassText}\" line of the expected app after byte {offset} within {timeout.TotalSeconds:0} s. " +
                "Check that the app started and writes this log; raise verify-timeout if it is just slow." +
                (ignored is { Count: > 0 } ? $" Ignored {ignored.Count} line(s): {string.Join("; ", ignored.Take(3))}" : ""));

/// <summary>The app Start launched is gone: a PASS line, whoever wrote it, proves nothing about an app that no longer runs.</summary>
public sealed class StartupCheckAppExitedException(string path, long offset, IReadOnlySet<int> pids, IReadOnlyList<string>? ignored = null)
    : Exception($"{path}: the app Start launched{(pids.Count > 0 ? $" (pid {string.Join(", ", pids.Order())})" : "")} is no longer running, so no key check after byte {offset} counts. " +
                "Check the launcher's log and the app's own log for why it exited." +
                (ignored is { Count: > 0 } ? $" Ignored {ignored.Count} line(s): {string.Join("; ", ignored.Take(3))}" : ""));

/// <summary>The app Start launched passed its key check with another V1 than the one the rotation (or rollback) put in place.</summary>
public sealed class StartupCheckWrongKeyException(string path, string why, string redactedLine)
    : Exception($"{path}: {why}: {redactedLine}. The app did not load the keys in the store; check for a ROBODJ_* variable it inherits or a second .env it reads.");
