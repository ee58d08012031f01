using RoboDJ.Sandbox.App;

using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Pipeline.IO;

namespace RoboDJ.Sandbox;

/// <summary>
/// RoboDJ_Launcher.sh and RoboDJ_Launcher.bat, as the desktop app ships them: they start the app for this root.
/// The .sh uses exec so that the pid the runtime starts is the app's own, and SIGTERM reaches it.
/// </summary>
static class SandboxLaunchers
{
    /// <param name="app">The command that runs the app: its own executable, or the dotnet host and the app's dll.</param>
    public static void Write(SandboxLayout layout, IReadOnlyList<string> app)
    {
        var sh = "#!/bin/sh\n"
            + "# Starts the RoboDJ sandbox app for this deployment (made by SandboxDeployment.Create).\n"
            + $"exec {string.Join(' ', app.Select(ShQuote))} --root {ShQuote(layout.Root)}\n";
        AtomicFile.WriteAllText(layout.LauncherSh, sh, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        var bat = "@echo off\r\n"
            + "rem Starts the RoboDJ sandbox app for this deployment (made by SandboxDeployment.Create).\r\n"
            + $"{string.Join(' ', app.Select(a => $"\"{a}\""))} --root \"{layout.Root}\"\r\n";
        AtomicFile.WriteAllText(layout.LauncherBat, bat);
    }

    /// <summary>POSIX shell double quotes: only $ ` " \ are special inside them.</summary>
    static string ShQuote(string text)
    {
        var escaped = text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("$", "\\$").Replace("`", "\\`");
        return $"\"{escaped}\"";
    }
}
