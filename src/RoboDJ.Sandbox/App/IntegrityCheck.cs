namespace RoboDJ.Sandbox.App;

/// <summary>
/// The startup check RoboDJ logs as "Key presence/integrity check": V1 present and well-formed, V2 well-formed when
/// present, and every encrypted field under config/ opens with V1 or V2. A failure reason names slots, files and JSON
/// paths, never a value.
/// </summary>
static class IntegrityCheck
{
    const int PathsShown = 3;

    public sealed record Result(SandboxKeys? Keys, int Fields, string? Failure)
    {
        public bool Passed => Failure is null;
    }

    public static Result Run(SandboxEnvironment env, SandboxLayout layout)
    {
        var keys = SandboxKeys.Load(env, out var failure);
        if (keys is null) return new Result(null, 0, failure);

        List<ConfigFile> files;
        try { files = ConfigTree.Load(layout); }
        catch (ConfigParseException e) { return new Result(keys, 0, e.Message); }

        var fields = files.SelectMany(f => f.Fields.Select(field => (File: f, Field: field))).ToList();
        var closed = fields.Where(x => keys.SlotThatOpens(x.Field.Token, out _) is null)
            .Select(x => $"{x.File.RelativePath} {x.Field.Path}")
            .ToList();
        if (closed.Count == 0) return new Result(keys, fields.Count, null);

        var shown = string.Join(", ", closed.Take(PathsShown)) + (closed.Count > PathsShown ? $", and {closed.Count - PathsShown} more" : "");
        var noun = closed.Count == 1 ? "field opens" : "fields open";
        return new Result(keys, fields.Count, $"{closed.Count} encrypted {noun} with neither V1 nor V2: {shown}");
    }
}
