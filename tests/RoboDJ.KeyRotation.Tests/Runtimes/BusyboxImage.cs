namespace RoboDJ.KeyRotation.Tests.Runtimes;

/// <summary>
/// The test image robodj-busybox:test, (re)created from the host's static busybox when a fresh engine lacks it,
/// because there is no registry to pull from.
/// </summary>
static class BusyboxImage
{
    public const string Name = "robodj-busybox:test";
    static readonly Lazy<string?> ensured = new(Create);

    /// <summary>Null when the image is there; otherwise why it could not be made.</summary>
    public static string? Ensure() => ensured.Value;

    static string? Create()
    {
        if (DockerCli.Run("docker", ["image", "inspect", Name]).Code == 0) return null;
        var busybox = new[] { "/bin/busybox", "/usr/bin/busybox" }.FirstOrDefault(File.Exists);
        if (busybox is null) return "no /bin/busybox to build the test image from (apt-get install busybox-static)";

        var root = Directory.CreateTempSubdirectory("robodj-rootfs-").FullName;
        try
        {
            foreach (var dir in new[] { "bin", "tmp", "out" }) Directory.CreateDirectory(Path.Combine(root, dir));
            File.Copy(busybox, Path.Combine(root, "bin", "busybox"));
            var applets = DockerCli.Run(Path.Combine(root, "bin", "busybox"), ["--list"]).Output
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var applet in applets.Where(a => a != "busybox"))
                File.CreateSymbolicLink(Path.Combine(root, "bin", applet), "busybox");
            var tar = Path.Combine(Path.GetTempPath(), $"robodj-rootfs-{Guid.NewGuid():N}.tar");
            try
            {
                var packed = DockerCli.Run("tar", ["-C", root, "-cf", tar, "."]);
                if (packed.Code != 0) return "tar failed: " + packed.Output;
                var imported = DockerCli.Run("docker", ["import", "-", Name], stdinFromFile: tar);
                return imported.Code == 0 ? null : "docker import failed: " + imported.Output;
            }
            finally { File.Delete(tar); }
        }
        finally { Directory.Delete(root, recursive: true); }
    }
}
