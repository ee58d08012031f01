using System.Diagnostics;
using RoboDJ.KeyRotation.Runtimes;

namespace RoboDJ.KeyRotation.Tests.Runtimes;

public sealed class ProcessTableTests
{
    [Fact]
    public async Task Descendants_of_a_parent_and_its_child_given_together_include_the_child_and_not_the_parent()
    {
        if (!OperatingSystem.IsLinux()) Assert.Skip("reads /proc");
        // As ByName sees an app that just forked: the parent and the child that has not exec'd yet, both given as roots.
        using var parent = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "sleep 30 & echo $!; wait"]) { RedirectStandardOutput = true })!;
        try
        {
            var childPid = int.Parse((await parent.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken))!);
            var roots = new[] { ProcessTable.Get(parent.Id)!, ProcessTable.Get(childPid)! };

            var descendants = ProcessTable.Descendants(roots).Select(p => p.Pid).ToList();

            Assert.Equal([childPid], descendants);
        }
        finally { parent.Kill(entireProcessTree: true); }
    }
}
