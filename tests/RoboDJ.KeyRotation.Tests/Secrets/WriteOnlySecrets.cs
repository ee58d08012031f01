using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Tests.Secrets;

/// <summary>GitHub as the job sees it: the mapping taken at job start, and every write (which it never gives back).</summary>
sealed class WriteOnlySecrets : ISecretStore
{
    public KeySlots Mapped { get; set; } = new(null, null);
    public List<KeySlots> Writes { get; } = [];
    public int WritableChecks { get; private set; }
    public string Description => "github-environment acme/robodj@staging";
    public Task<KeySlots> ReadAsync(CancellationToken cancellationToken) => Task.FromResult(Mapped);
    public Task CheckWritableAsync(CancellationToken cancellationToken) { WritableChecks++; return Task.CompletedTask; }
    public Task WriteAsync(KeySlots slots, CancellationToken cancellationToken) { Writes.Add(slots); return Task.CompletedTask; }
    public string DescribeWrite(KeySlots slots) => $"github would write V1 {slots.Primary?.Fingerprint}";
}
