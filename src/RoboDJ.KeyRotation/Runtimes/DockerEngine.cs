using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using RoboDJ.Pipeline;

namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>
/// The few Docker API calls the runtime makes, with every transport failure turned into
/// <see cref="DockerEngineUnreachableException"/> naming the address. No API version is pinned: the engine here speaks 1.41.
/// </summary>
public sealed class DockerEngine(Uri address) : IDisposable
{
    readonly DockerClient client = new DockerClientConfiguration(address, defaultTimeout: TimeSpan.FromSeconds(30)).CreateClient();

    public Uri Address { get; } = address;

    public Task PingAsync(CancellationToken cancellationToken) =>
        Call(async () => { await client.System.PingAsync(cancellationToken); return true; }, cancellationToken);

    /// <summary>The project's containers, found by label only; one-off `run` containers are left out.</summary>
    public Task<IList<ContainerListResponse>> ListAsync(string project, bool all, CancellationToken cancellationToken) =>
        Call(async () =>
        {
            var list = await client.Containers.ListContainersAsync(new ContainersListParameters
            {
                All = all,
                Filters = new Dictionary<string, IDictionary<string, bool>>
                {
                    ["label"] = new Dictionary<string, bool> { [$"{ComposeLabels.Project}={project}"] = true },
                },
            }, cancellationToken);
            return (IList<ContainerListResponse>)list
                .Where(c => !(c.Labels?.TryGetValue(ComposeLabels.OneOff, out var oneOff) == true && oneOff.Equals("True", StringComparison.OrdinalIgnoreCase)))
                .OrderBy(c => Service(c.Labels), StringComparer.Ordinal)
                .ToList();
        }, cancellationToken);

    public Task<ContainerInspectResponse> InspectAsync(string id, CancellationToken cancellationToken) =>
        Call(() => client.Containers.InspectContainerAsync(id, cancellationToken), cancellationToken);

    /// <summary>The last lines of a container's output, redacted; never throws (logs are a courtesy in an error path).</summary>
    public async Task<string> TailLogAsync(string id, bool tty, int lines, CancellationToken cancellationToken)
    {
        try
        {
            using var stream = await client.Containers.GetContainerLogsAsync(id, tty,
                new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Tail = lines.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                cancellationToken);
            var buffer = new byte[8192];
            var text = new StringBuilder();
            while (true)
            {
                var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken);
                if (read.EOF) break;
                text.Append(Encoding.UTF8.GetString(buffer, 0, read.Count));
            }
            var all = text.ToString().Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).TakeLast(lines);
            return SecretRedactor.Redact(string.Join('\n', all));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return $"(could not read the log: {e.GetType().Name})";
        }
    }

    public static string Service(IDictionary<string, string>? labels) =>
        labels is not null && labels.TryGetValue(ComposeLabels.Service, out var s) ? s : "?";

    public static string ShortId(string id) => id.Length > 12 ? id[..12] : id;

    Task<T> Call<T>(Func<Task<T>> call, CancellationToken cancellationToken) => DockerCall.Guard(Address, call, cancellationToken);

    public void Dispose() => client.Dispose();
}
