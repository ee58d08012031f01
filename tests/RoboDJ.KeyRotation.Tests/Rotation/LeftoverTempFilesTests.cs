using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.Pipeline.IO;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Rotation;

public sealed class LeftoverTempFilesTests : IDisposable
{
    readonly TempDir root = new("robodj-leftovers");

    string Plant(string relative, string content = "half-written")
    {
        var path = root.Combine(relative.Split('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    static string Hex => Guid.NewGuid().ToString("N");

    [Fact]
    public void The_writers_temp_files_beside_env_under_config_and_in_the_rotation_folder_are_found_and_nothing_else()
    {
        var scope = new DeploymentScope(new DeploymentPaths(root.Path));
        string[] ours =
        [
            Plant($"..env.{Hex}.tmp", "ROBODJ_SECRET_KEY=..."),
            Plant($"config/.settings.json.{Hex}.tmp"),
            Plant($"config/stations/.main.json.{Hex}.tmp"),
            Plant($"key_rotation/20261202T040000Z-ab12/.journal.jsonl.{Hex}.tmp"),
        ];
        Plant($"key_rotation/.rotation.lock.{Hex}.tmp"); // the lock's heartbeat may be writing it right now
        Plant($"config/agents/.lock.json.{Hex}.tmp"); // the app's own folder (--config-exclusions)
        Plant("config/.settings.json.tmp");
        Plant("config/settings.tmp");
        Plant($"config/.settings.json.{Hex[..31]}.tmp");
        Plant($"config/.settings.json.{Hex.ToUpperInvariant()}.tmp");
        Plant($"other/.x.json.{Hex}.tmp"); // outside the deployment's folders we write

        Assert.Equal(ours.Order(StringComparer.Ordinal), LeftoverTempFiles.Find(scope));
        Assert.True(TempFileName.IsOne(Path.GetFileName(TempFileName.For(root.Combine(".env")))));
    }

    [Fact]
    public void Removing_overwrites_then_deletes_each_one()
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("hard links through libc");
        var leftover = Plant($"..env.{Hex}.tmp", new string('k', 200_000));
        var secondName = root.Combine("second-name");
        Assert.Equal(0, link(leftover, secondName));

        LeftoverTempFiles.Remove([leftover]);

        Assert.False(File.Exists(leftover));
        // The inode's other name shows what its disk blocks now carry: zeros, not the key text.
        var seen = File.ReadAllBytes(secondName);
        Assert.Equal(200_000, seen.Length);
        Assert.All(seen, b => Assert.Equal(0, b));
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    static extern int link(string existing, string created);

    public void Dispose() => root.Dispose();
}
