using System.Net;
using Octokit;
using Serilog;

namespace RoboDJ.KeyRotation.GitHub;

/// <summary>
/// Runs one Octokit call and turns its failures into <see cref="GitHubAccessException"/>s that say what to fix.
/// A rate limit that resets soon is waited out, since a rotation window is better spent waiting a minute than failing.
/// </summary>
public sealed class GitHubCall(GitHubOptions options, TimeProvider? time = null, ILogger? logger = null)
{
    const int MaxRateLimitWaits = 3;
    readonly TimeProvider time = time ?? TimeProvider.System;
    ILogger Log => logger ?? Serilog.Log.ForContext<GitHubCall>();

    public async Task RunAsync(GitHubOperation operation, Func<Task> call, CancellationToken cancellationToken) =>
        await RunAsync(operation, async () => { await call(); return true; }, cancellationToken);

    public async Task<T> RunAsync<T>(GitHubOperation operation, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        for (var waits = 0; ; waits++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                // Octokit takes no CancellationToken; WaitAsync at least stops us waiting on it.
                return await call().WaitAsync(cancellationToken);
            }
            catch (RateLimitExceededException e)
            {
                var wait = e.Reset - time.GetUtcNow();
                if (wait > options.MaxRateLimitWait || waits >= MaxRateLimitWaits) throw RateLimited(operation, e.Reset, e);
                await WaitOutAsync(operation, wait, e.Reset, cancellationToken);
            }
            catch (SecondaryRateLimitExceededException e)
            {
                var wait = RetryAfter(e);
                var resetsAt = time.GetUtcNow() + wait;
                if (wait > options.MaxRateLimitWait || waits >= MaxRateLimitWaits) throw RateLimited(operation, resetsAt, e);
                await WaitOutAsync(operation, wait, resetsAt, cancellationToken);
            }
            catch (ApiException e)
            {
                throw Translate(operation, e);
            }
            catch (HttpRequestException e)
            {
                throw new GitHubAccessException(
                    $"GitHub: could not {operation.Action}: {GitHubClientFactory.ApiRoot(options)} is unreachable ({e.Message}). Fix: check the base URL in the env's parameters file and the network.",
                    operation.Action, statusCode: null, inner: e);
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new GitHubAccessException(
                    $"GitHub: could not {operation.Action}: no answer within {options.RequestTimeout.TotalSeconds:0.#} s. Fix: retry later, or raise the GitHub request timeout.",
                    operation.Action, statusCode: null, inner: e);
            }
        }
    }

    async Task WaitOutAsync(GitHubOperation operation, TimeSpan wait, DateTimeOffset resetsAt, CancellationToken cancellationToken)
    {
        if (wait < TimeSpan.Zero) wait = TimeSpan.Zero;
        Log.Warning("GitHub rate limit hit while trying to {Action:l}; waiting {Seconds:0} s until it resets at {ResetsAt:HH:mm:ss} UTC",
            operation.Action, wait.TotalSeconds, resetsAt.UtcDateTime);
        // A second's slack: GitHub's reset time has one-second resolution.
        await Task.Delay(wait + TimeSpan.FromSeconds(1), time, cancellationToken);
    }

    /// <summary>The secondary limit says how long to back off in Retry-After; without one, GitHub advises a minute.</summary>
    static TimeSpan RetryAfter(ApiException e)
    {
        string? value = null;
        if (e.HttpResponse?.Headers is { } headers)
            foreach (var (name, v) in headers)
                if (string.Equals(name, "Retry-After", StringComparison.OrdinalIgnoreCase)) value = v;
        return int.TryParse(value, out var seconds) ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromMinutes(1);
    }

    GitHubAccessException RateLimited(GitHubOperation operation, DateTimeOffset resetsAt, ApiException e) => new(
        $"GitHub: could not {operation.Action}: the API rate limit is exhausted until {resetsAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, " +
        $"later than the {options.MaxRateLimitWait.TotalSeconds:0} s this run waits. Fix: rerun after the reset, or use a token with its own quota.",
        operation.Action, HttpStatusCode.Forbidden, resetsAt, e);

    GitHubAccessException Translate(GitHubOperation operation, ApiException e)
    {
        var said = string.IsNullOrWhiteSpace(e.ApiError?.Message) ? "" : $" (GitHub said: {e.ApiError?.Message})";
        var message = e switch
        {
            AuthorizationException =>
                $"GitHub: could not {operation.Action}: 401 Unauthorized, the token is invalid or expired{said}. Fix: set {GitHubClientFactory.TokenVariable} to a valid token with `{operation.Permission}`.",
            ForbiddenException =>
                $"GitHub: could not {operation.Action}: 403 Forbidden{said}. Fix: the token needs `{operation.Permission}` on {options.RepositoryFullName}; " +
                "for an environment, its protection rules (required reviewers, deployment branches) must also allow this run.",
            NotFoundException =>
                $"GitHub: could not {operation.Action}: 404 Not Found: {operation.NotFound} does not exist, or the token cannot see it{said}. " +
                "Fix: check the owner, repository and environment names in the env's parameters file.",
            _ =>
                $"GitHub: could not {operation.Action}: {(int)e.StatusCode} {e.StatusCode}{said}.",
        };
        return new GitHubAccessException(message, operation.Action, e.StatusCode, inner: e);
    }
}
