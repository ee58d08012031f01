namespace RoboDJ.KeyRotation.Secrets;

/// <summary>The two key slots as a store holds them: V1 (ROBODJ_SECRET_KEY) and V2 (ROBODJ_SECRET_V2_KEY).</summary>
public sealed record KeySlots(FernetKey? Primary, FernetKey? Secondary)
{
    public const string PrimaryName = "ROBODJ_SECRET_KEY";
    public const string SecondaryName = "ROBODJ_SECRET_V2_KEY";
}

/// <summary>Where the deployment's keys live: the .env file, or GitHub Actions secrets.</summary>
public interface ISecretStore
{
    /// <summary>e.g. "dotenv /srv/robodj/.env" or "github-environment owner/repo@production". Never a value.</summary>
    string Description { get; }

    /// <summary>Reads both slots; a slot that is absent is null, a malformed one throws <see cref="MalformedKeyException"/>.</summary>
    Task<KeySlots> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Fails with a clear error, before anything is written, when the store cannot be written.</summary>
    Task CheckWritableAsync(CancellationToken cancellationToken);

    /// <summary>Writes both slots as one operation (one atomic file write for .env).</summary>
    Task WriteAsync(KeySlots slots, CancellationToken cancellationToken);

    /// <summary>What <see cref="WriteAsync"/> would do, for --dry-run: fingerprints only.</summary>
    string DescribeWrite(KeySlots slots);
}
