using Serilog;

namespace RoboDJ.KeyRotation.Secrets;

/// <summary>The default secret store: ROBODJ_SECRET_KEY and ROBODJ_SECRET_V2_KEY in the deployment's .env.</summary>
public sealed class DotEnvSecretStore(string envPath) : ISecretStore
{
    public string Path { get; } = System.IO.Path.GetFullPath(envPath);
    public string Description => $"dotenv {Path}";

    public Task<KeySlots> ReadAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // Not there at all (a dangling link or a folder is named by the reader as what it is).
        if (!Pipeline.IO.FileStatus.Of(Path).Exists)
            throw new FileNotFoundException($"{Path}: the deployment's .env file is missing, so neither key can be read. " +
                $"Fix: restore .env from the last snapshot ({Snapshots.SnapshotStore.DotEnvCopy}), or point the deployment root at the folder that holds it.", Path);
        var file = DotEnvFile.Load(Path);
        var slots = new KeySlots(ReadSlot(file, KeySlots.PrimaryName), ReadSlot(file, KeySlots.SecondaryName));
        Log.Debug("Read {Store}: V1 {Primary}, V2 {Secondary}", Description, slots.Primary?.Fingerprint.ToString() ?? "absent", slots.Secondary?.Fingerprint.ToString() ?? "absent");
        return Task.FromResult(slots);
    }

    FernetKey? ReadSlot(DotEnvFile file, string name)
    {
        var entry = file.Find(name);
        // A line that assigns it but that neither reader sees (a quote left open above it) is a broken .env, not an absent key.
        if (entry is null) return file.WhyAbsent(name) is { } why ? throw new DotEnvSyntaxException(why.File, why.Line, why.Problem, why.Fix) : null;
        var source = $"{Path}:{entry.Line} ({name})";
        if (string.IsNullOrEmpty(entry.Value)) throw new MissingKeyException(source, name);
        return FernetKey.Parse(entry.Value, source);
    }

    public Task CheckWritableAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        if (!Directory.Exists(folder))
            throw new SecretStoreNotWritableException(Description, "its folder does not exist", "check the deployment root in .nuke/parameters.<env>.json");
        if (Pipeline.IO.InputFile.Problem(Path) is { } problem)
            throw new SecretStoreNotWritableException(Description, problem, "make it the regular file that holds ROBODJ_SECRET_KEY and ROBODJ_SECRET_V2_KEY, or point the deployment root at the right folder");
        if (AtomicWriteAccess.Refusal(Path) is { } refusal)
            throw new SecretStoreNotWritableException(Description, refusal);
        return Task.CompletedTask;
    }

    public async Task WriteAsync(KeySlots slots, CancellationToken cancellationToken)
    {
        Effects.EffectGuard.ThrowIfDryRun(Effects.ChangeKind.Files, DescribeWrite(slots));
        var (primary, secondary) = Require(slots);
        await CheckWritableAsync(cancellationToken);
        var file = DotEnvFile.Load(Path).With([
            new(KeySlots.PrimaryName, primary.Text),
            new(KeySlots.SecondaryName, secondary.Text),
        ]);
        cancellationToken.ThrowIfCancellationRequested();
        file.Save(Path);
        Log.Information("Wrote {Store}: V1 {Primary}, V2 {Secondary}", Description, primary.Fingerprint.ToString(), secondary.Fingerprint.ToString());
    }

    public string DescribeWrite(KeySlots slots)
    {
        var (primary, secondary) = Require(slots);
        return $"would write V1 {primary.Fingerprint}, V2 {secondary.Fingerprint} to {Path}";
    }

    (FernetKey, FernetKey) Require(KeySlots slots) =>
        (slots.Primary ?? throw new MissingKeyException(Description, KeySlots.PrimaryName),
         slots.Secondary ?? throw new MissingKeyException(Description, KeySlots.SecondaryName));
}
