using RoboDJ.KeyRotation.Rotation;
using RoboDJ.Pipeline.IO;

namespace RoboDJ.KeyRotation.Fleet;

/// <summary>
/// Every host's config/ must be the shared deployment's config/ (a link to it, or the same folder through linked
/// parents): the rotation rewraps and snapshots the shared tree, so a host that reads another copy would be left with
/// fields under a key it is about to lose. Compared by the paths with every link resolved; reads only.
/// </summary>
public static class SharedConfigTree
{
    public static void Require(FleetFile fleet, DeploymentPaths shared)
    {
        var tree = RealPath.Of(shared.Config);
        foreach (var host in fleet.Hosts)
        {
            var config = Path.Combine(host.Root, "config");
            var resolved = RealPath.Of(config);
            if (resolved != tree)
                throw new FleetFileException(fleet.Path, host.Line,
                    $"host {host.Name}: {config} is {(resolved == config ? "its own folder" : resolved)}, not the shared config tree {tree}",
                    $"make {config} the shared tree (a link to {shared.Config}, or a mount of it), or point --deployment-root at the deployment whose config/ the hosts share");
        }
    }
}
