using System.Diagnostics;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests.PythonReference;

/// <summary>
/// What the reference app needs to run in a container: an engine, the busybox test image (.ci/run imports it from
/// busybox-static), and Debian's /usr/bin/python3 with python3-cryptography and python3-dotenv, mounted from the host.
/// </summary>
public static class DockerPeer
{
    public const string Image = "robodj-busybox:test";
    public const string ContainerPython = "/usr/bin/python3";

    public static void RequireImage()
    {
        Peers.DockerHost();
        if (Run("docker", "image", "inspect", Image) != 0) Peers.Missing($"no {Image} image on the engine (.ci/run imports it from busybox-static)");
        if (!Directory.Exists("/lib64")) Peers.Missing("no /lib64 on the host to mount into the container");
        if (Run(ContainerPython, "-c", "import cryptography, dotenv") != 0)
            Peers.Missing($"{ContainerPython} does not import cryptography and dotenv (apt-get install python3-cryptography python3-dotenv)");
    }

    static int Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(info)!;
            p.StandardOutput.ReadToEnd();
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception) { return -1; }
    }
}
