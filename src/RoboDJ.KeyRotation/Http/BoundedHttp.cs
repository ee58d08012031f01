using System.Net;

namespace RoboDJ.KeyRotation.Http;

/// <summary>
/// The one way this tool talks HTTP (the dashboard, the webhook, GitHub through Octokit): a redirect is never followed,
/// so a password, a session or a token goes only to the address the operator configured (a 307 would make .NET or
/// Octokit send the same request, body and all, wherever it points); and an answer is read up to
/// <see cref="MaxResponseBytes"/>, so a server cannot fill the build's memory. No proxy from the environment, no cookies.
/// </summary>
public static class BoundedHttp
{
    /// <summary>The most of one answer this tool reads (4 MiB): the largest it expects is a page of GitHub issues.</summary>
    public const long MaxResponseBytes = 4 << 20;

    /// <summary>A client with its own connections; <paramref name="inner"/> replaces the network (tests).</summary>
    public static HttpClient Client(TimeSpan timeout, HttpMessageHandler? inner = null) =>
        new(Handler(inner)) { Timeout = timeout, MaxResponseContentBufferSize = MaxResponseBytes };

    /// <summary>The handler alone, for a library that builds its own client around it (Octokit).</summary>
    public static HttpMessageHandler Handler(HttpMessageHandler? inner = null) => new Guard
    {
        // No connection is reused: Python's http.server answers HTTP/1.0 without a Connection header and closes after a
        // moment, so a pooled connection can be picked just as it closes ("the response ended prematurely").
        InnerHandler = inner ?? new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, UseCookies = false, PooledConnectionLifetime = TimeSpan.Zero },
    };

    sealed class Guard : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            try
            {
                var status = (int)response.StatusCode;
                if (status is >= 300 and < 400 && response.Headers.Location is { } location)
                    throw new HttpAnswerRefusedException(
                        $"{request.Method} {Where(request.RequestUri)} answered {status} {response.ReasonPhrase} with a redirect to {new Uri(request.RequestUri!, location).GetLeftPart(UriPartial.Authority)}; " +
                        "redirects are never followed, so no password, session or token goes anywhere but the configured address",
                        "configure the address that answers itself", response.StatusCode);
                response.Content = await BoundedAsync(request, response, cancellationToken);
                return response;
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }

        /// <summary>The answer's body read whole, but never past the limit (a declared length over it is not read at all).</summary>
        static async Task<HttpContent> BoundedAsync(HttpRequestMessage request, HttpResponseMessage response, CancellationToken cancellationToken)
        {
            var original = response.Content;
            var buffer = new MemoryStream();
            if (original.Headers.ContentLength is not > MaxResponseBytes)
            {
                await using var stream = await original.ReadAsStreamAsync(cancellationToken);
                var chunk = new byte[1 << 16];
                int read;
                while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0 && buffer.Length + read <= MaxResponseBytes) buffer.Write(chunk, 0, read);
                if (read == 0)
                {
                    var bounded = new ByteArrayContent(buffer.ToArray());
                    foreach (var header in original.Headers) bounded.Headers.TryAddWithoutValidation(header.Key, header.Value);
                    original.Dispose();
                    return bounded;
                }
            }
            throw new HttpAnswerRefusedException(
                $"{request.Method} {Where(request.RequestUri)} answered {(int)response.StatusCode} with more than {MaxResponseBytes >> 20} MiB; " +
                "an answer is read up to that limit and no further", "check that the address is the service it should be", response.StatusCode);
        }

        // Scheme, host, port and path: a query may carry a token, and a webhook's path is its secret (registered, so redacted).
        // Where a redirect points is shown to the port only: its path may repeat ours.
        static string Where(Uri? uri) => uri is null ? "?" : Pipeline.SecretRedactor.Redact(uri.GetLeftPart(UriPartial.Path));
    }
}

/// <summary>An answer this tool does not take: a redirect, or one over <see cref="BoundedHttp.MaxResponseBytes"/>.</summary>
public sealed class HttpAnswerRefusedException(string problem, string fix, HttpStatusCode status) : HttpRequestException($"{problem}. Fix: {fix}.", null, status)
{
    public string Problem { get; } = problem;
}
