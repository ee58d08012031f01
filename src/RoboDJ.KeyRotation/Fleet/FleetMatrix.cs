using System.Text.Json;

namespace RoboDJ.KeyRotation.Fleet;

/// <summary>
/// The fleet as GitHub Actions job outputs: `hosts`, a matrix (`{"include":[{"host":..,"runner":..}]}`) for the
/// per-host phase jobs, and `writer`/`writer_runner`, the first host, whose config save is the single writer's.
/// Names and runner labels only.
/// </summary>
public static class FleetMatrix
{
    public static IReadOnlyList<string> OutputLines(FleetFile fleet)
    {
        var include = fleet.Hosts.Select(h => new Dictionary<string, string> { ["host"] = h.Name, ["runner"] = h.Runner });
        return
        [
            "hosts=" + JsonSerializer.Serialize(new { include }),
            "writer=" + fleet.Hosts[0].Name,
            "writer_runner=" + fleet.Hosts[0].Runner,
        ];
    }

    /// <summary>Appends the outputs to $GITHUB_OUTPUT when it is set (under Actions); returns them for the log either way.</summary>
    public static IReadOnlyList<string> Write(FleetFile fleet, string? githubOutput)
    {
        var lines = OutputLines(fleet);
        if (!string.IsNullOrEmpty(githubOutput)) File.AppendAllLines(githubOutput, lines);
        return lines;
    }
}
