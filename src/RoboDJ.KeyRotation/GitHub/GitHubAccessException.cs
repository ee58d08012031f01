using System.Net;
using RoboDJ.Pipeline;

namespace RoboDJ.KeyRotation.GitHub;

/// <summary>
/// A GitHub call that failed for a reason the operator can fix: the message says what was attempted, what GitHub answered,
/// and which permission, name or setting to change. It never holds the token or a key (it passes through the redactor).
/// </summary>
public sealed class GitHubAccessException : Exception
{
    public GitHubAccessException(string message, string operation, HttpStatusCode? statusCode,
        DateTimeOffset? rateLimitResetsAt = null, Exception? inner = null)
        : base(SecretRedactor.Redact(message), inner is null ? null : new RedactedInnerException(inner))
    {
        Operation = operation;
        StatusCode = statusCode;
        RateLimitResetsAt = rateLimitResetsAt;
    }

    /// <summary>What was attempted, e.g. "read the public key of environment 'production' of acme/robodj".</summary>
    public string Operation { get; }

    /// <summary>GitHub's HTTP status, or null when GitHub was not reached or no token was given.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>When the rate limit that stopped the call resets (UTC), for a rate-limit failure.</summary>
    public DateTimeOffset? RateLimitResetsAt { get; }

    /// <summary>
    /// Octokit's exceptions carry the raw response; only their type and redacted message travel on, so that printing
    /// the whole chain (as a verbose log does) cannot show anything the redactor has not seen.
    /// </summary>
    sealed class RedactedInnerException(Exception original)
        : Exception($"{original.GetType().Name}: {SecretRedactor.Redact(original.Message)}");
}
