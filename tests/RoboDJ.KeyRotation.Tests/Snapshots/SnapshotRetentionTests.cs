using System.Text;
using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Snapshots;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Snapshots;

/// <summary>
/// Ten fabricated rotations, each with a real snapshot of a deployment whose keys move k0 → k10: retention keeps the
/// newest N verified ones and any snapshot holding a key a field still needs, and shreds the rest.
/// </summary>
public sealed class SnapshotRetentionTests : IDisposable
{
    readonly TempDir temp = new();
    readonly DeploymentPaths paths;
    readonly DeploymentScope scope;
    readonly FernetKey[] keys = Enumerable.Range(0, 11).Select(_ => FernetKey.Generate()).ToArray();
    readonly DateTimeOffset start = DateTimeOffset.UtcNow.AddDays(-100);

    public SnapshotRetentionTests()
    {
        paths = new DeploymentPaths(temp.Path);
        scope = new DeploymentScope(paths);
        Directory.CreateDirectory(paths.Config);
    }

    public void Dispose() => temp.Dispose();

    KeySlots Current => new(keys[10], keys[9]);

    void WriteDotEnv(int v1) => File.WriteAllText(paths.DotEnv, $"ROBODJ_ENV=staging\nROBODJ_SECRET_KEY={keys[v1].Text}\nROBODJ_SECRET_V2_KEY={keys[Math.Max(v1 - 1, 0)].Text}\n");

    void Fields(params int[] underKeys) => File.WriteAllText(Path.Combine(paths.Config, "settings.json"),
        "{" + string.Join(", ", underKeys.Select((k, i) => $"\"secret_{i}\": \"{FernetToken.Encrypt(keys[k], Encoding.UTF8.GetBytes("value"))}\"")) + "}");

    /// <summary>Rotation i (1..10) snapshots V1 = k(i-1) and V2 = k(i-2), then ends as <paramref name="end"/> (null: unfinished).</summary>
    async Task<List<RotationJournal>> RotationsAsync(Func<int, RotationStep?>? endOf = null)
    {
        var journals = new List<RotationJournal>();
        for (var i = 1; i <= 10; i++)
        {
            WriteDotEnv(i - 1);
            var journal = RotationJournal.Create(paths.KeyRotation, RotationId.New(start.AddDays(i * 7)), "staging", "alice");
            await new SnapshotStore(scope).CreateAsync(paths.SnapshotDirectory(journal.Id), TestContext.Current.CancellationToken);
            journal.Ended(RotationStep.Snapshot);
            if ((endOf ?? (_ => RotationStep.Completed))(i) is { } end) journal.Ended(end);
            journals.Add(journal);
        }
        WriteDotEnv(10);
        return journals;
    }

    static IEnumerable<string> Remaining(DeploymentPaths paths, IEnumerable<RotationJournal> journals) =>
        journals.Where(j => Directory.Exists(paths.SnapshotDirectory(j.Id))).Select(j => j.Id.Value);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Ten_rotations_leave_only_the_newest_N_snapshots_and_no_older_key_on_disk(int keep)
    {
        Fields(10, 10);
        var journals = await RotationsAsync();
        // A second name for an old snapshot's .env: after the shred its bytes must be zeros, not the retired keys.
        var oldEnv = Path.Combine(paths.SnapshotDirectory(journals[0].Id), "files", ".env");
        var secondName = temp.Combine("old-env-link");
        Assert.Equal(0, Link(oldEnv, secondName));
        var length = new FileInfo(oldEnv).Length;

        var report = new SnapshotRetention(scope, keep).Apply(Current);

        var newest = journals.TakeLast(keep).Select(j => j.Id.Value).ToList();
        Assert.Equal(newest, Remaining(paths, journals));
        Assert.Equal(newest, report.Kept);
        Assert.Equal(journals.SkipLast(keep).Select(j => j.Id.Value), report.Removed);
        var bytes = File.ReadAllBytes(secondName);
        Assert.Equal(length, bytes.Length);
        Assert.All(bytes, b => Assert.Equal(0, b));
        File.Delete(secondName);
        // The kept snapshots hold k(10-keep-1) .. k9; every key before those is nowhere under the deployment any more.
        var gone = keys.Take(9 - keep).ToList();
        Canary.AssertAbsentFromTree(temp.Path, gone.Select(k => k.Text));
        Assert.Equal(gone.Select(k => k.Fingerprint.ToString()).Order(), report.KeysGoneFromDisk.Order());
        Canary.AssertAbsent(string.Join("\n", report.Facts.Values) + report.Summary, keys.Select(k => k.Text), "the retention report");
    }

    [Fact]
    public async Task A_snapshot_holding_a_key_a_field_still_needs_is_kept()
    {
        Fields(10, 3); // a field the rewraps never reached, still under k3
        var journals = await RotationsAsync();

        var report = new SnapshotRetention(scope, 1).Apply(Current);

        // Rotations 4 (V1 k3) and 5 (V2 k3) hold k3; rotation 10 is the newest verified.
        Assert.Equal([journals[3].Id.Value, journals[4].Id.Value, journals[9].Id.Value], Remaining(paths, journals));
        Assert.Contains(report.KeptForFields, k => k.StartsWith(journals[3].Id.Value) && k.Contains(keys[3].Fingerprint.ToString()));
        Assert.DoesNotContain(keys[3].Fingerprint.ToString(), report.KeysGoneFromDisk);
        Assert.True(SnapshotStore.ReadVerified(paths.SnapshotDirectory(journals[3].Id), ".env").Length > 0);
    }

    [Fact]
    public async Task Rolled_back_rotations_older_than_the_kept_ones_go_and_an_unfinished_one_always_stays()
    {
        Fields(10);
        var journals = await RotationsAsync(i => i switch { 2 => null, 5 => RotationStep.RolledBack, 10 => RotationStep.RolledBack, _ => RotationStep.Completed });

        var report = new SnapshotRetention(scope, 2).Apply(Current);

        // Newest two verified: 8 and 9. Rolled-back 10 is newer than them and stays; unfinished 2 is never a candidate.
        Assert.Equal([journals[1].Id.Value, journals[7].Id.Value, journals[8].Id.Value, journals[9].Id.Value], Remaining(paths, journals));
        Assert.Contains(journals[4].Id.Value, report.Removed);
    }

    [Fact]
    public async Task Fewer_verified_rotations_than_N_remove_nothing()
    {
        Fields(10);
        var journals = await RotationsAsync(i => i == 10 ? RotationStep.Completed : RotationStep.RolledBack);

        var report = new SnapshotRetention(scope, 2).Apply(Current);

        Assert.Empty(report.Removed);
        Assert.Equal(10, Remaining(paths, journals).Count());
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    static extern int link(string existing, string created);

    static int Link(string existing, string created) => OperatingSystem.IsWindows() ? -1 : link(existing, created);
}
