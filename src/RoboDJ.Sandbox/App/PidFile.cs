using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Pipeline.IO;

namespace RoboDJ.Sandbox.App;

/// <summary>The pid file a desktop runtime uses to find the app: written atomically, removed on the way out.</summary>
sealed class PidFile(string path)
{
    public string Path { get; } = path;

    public void Write() => AtomicFile.WriteAllText(Path, Environment.ProcessId + "\n");

    /// <summary>Removes the file only while it still names this process, so a newer instance's file survives.</summary>
    public void Remove()
    {
        try
        {
            if (File.Exists(Path) && File.ReadAllText(Path).Trim() == Environment.ProcessId.ToString())
                File.Delete(Path);
        }
        catch (IOException) { }
    }
}
