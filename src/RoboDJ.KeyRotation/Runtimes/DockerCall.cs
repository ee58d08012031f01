using Docker.DotNet;

namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>One Engine API call: a transport failure (no socket, refused, timed out) becomes one error naming the engine.</summary>
static class DockerCall
{
    public static async Task<T> Guard<T>(Uri address, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try { return await call(); }
        catch (Exception e) when (e is not DockerApiException && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            throw new DockerEngineUnreachableException(address.ToString(), Innermost(e).Message, e);
        }
    }

    static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}
