using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Verification;
using Serilog;

namespace RoboDJ.KeyRotation.Phased;

/// <summary>
/// Rewraps the shared config tree through exactly one writer: the app's own config save on one replica (its ring is the
/// one rolled out), or, without a dashboard password, the offline rewrap with the same ring. Returns who wrote.
/// </summary>
public sealed class SingleWriter(DeploymentScope scope, DashboardCredentials? dashboard)
{
    public async Task<string> RewrapAsync(KeyRing ring, Replica writer, CancellationToken cancellationToken)
    {
        if (dashboard is null)
        {
            var report = Rewrap.Run(scope, ring);
            if (report.Undecryptable.Count > 0)
                throw new SingleWriterSaveFailedException("the offline rewrap", report.Undecryptable.Select(f => $"{f.File} {f.JsonPath}").ToList());
            return "offline rewrap";
        }
        using var client = new DashboardClient(writer.Dashboard, TimeSpan.FromSeconds(30));
        var session = await client.LoginAsync(dashboard.User, dashboard.Password, cancellationToken);
        var result = await client.SaveConfigAsync(session, cancellationToken);
        if (!result.Clean) throw new SingleWriterSaveFailedException(writer.Name, result.DecryptionErrors);
        Log.Information("Config save through {Replica}: {Saved} fields saved under {Primary}", writer.Name, result.Saved, ring.Primary.Fingerprint.ToString());
        return writer.Name;
    }
}
