namespace RoboDJ.KeyRotation.Snapshots;

/// <summary>Unix file modes where they exist; no-ops on Windows, where ACLs of the user profile protect the files.</summary>
internal static class FileModes
{
    public const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void Set(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, mode);
    }

    /// <summary>Options to create a new file that only its owner can read (0600) from the first byte.</summary>
    public static FileStreamOptions CreateNewPrivate()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = Private;
        return options;
    }
}
