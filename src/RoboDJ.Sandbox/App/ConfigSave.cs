namespace RoboDJ.Sandbox.App;

/// <summary>
/// The dashboard's "save config": every encrypted field is opened with the ring and written back under V1 with its
/// original timestamp (MultiFernet.rotate), each file atomically. Fields no key opens are left as they are and reported.
/// </summary>
sealed class ConfigSave(SandboxLayout layout, SandboxKeys keys)
{
    readonly Lock gate = new();

    public sealed record DecryptionError(string File, string Path);
    public sealed record Outcome(int Saved, IReadOnlyList<DecryptionError> DecryptionErrors);

    public Outcome Run()
    {
        lock (gate)
        {
            var saved = 0;
            var errors = new List<DecryptionError>();
            foreach (var file in ConfigTree.Load(layout).Where(f => f.Fields.Count > 0))
            {
                foreach (var field in file.Fields)
                {
                    var rewrapped = keys.Ring.Rotate(field.Token);
                    if (rewrapped is null) { errors.Add(new DecryptionError(file.RelativePath, field.Path)); continue; }
                    field.Replace(rewrapped);
                    saved++;
                }
                file.Save();
            }
            return new Outcome(saved, errors);
        }
    }
}
