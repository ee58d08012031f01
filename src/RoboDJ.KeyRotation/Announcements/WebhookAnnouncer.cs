using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using RoboDJ.Pipeline;
using Serilog;

namespace RoboDJ.KeyRotation.Announcements;

/// <summary>
/// Posts Slack-compatible JSON (`{"text": ...}`) to an incoming webhook. A 5xx, a timeout or a dropped connection is
/// retried with backoff up to <see cref="WebhookOptions.MaxAttempts"/>; a 4xx is not, since resending the same request
/// cannot fix it, nor a redirect or an answer over the limit, which its client (<see cref="Http.BoundedHttp"/>) refuses.
/// </summary>
public sealed class WebhookAnnouncer : IAnnouncer
{
    readonly HttpClient http;
    readonly Uri url;
    readonly WebhookOptions options;
    readonly TimeProvider time;
    readonly ILogger? logger;

    public WebhookAnnouncer(HttpClient http, Uri url, WebhookOptions? options = null, TimeProvider? time = null, ILogger? logger = null)
    {
        this.http = http;
        this.url = url;
        this.options = options ?? new WebhookOptions();
        if (this.options.MaxAttempts < 1) throw new ArgumentException("a webhook needs at least one attempt", nameof(options));
        this.time = time ?? TimeProvider.System;
        this.logger = logger;
        // Slack-style webhook URLs are bearer credentials in their path.
        SecretRedactor.Register(url.AbsoluteUri);
    }

    ILogger Log => logger ?? Serilog.Log.ForContext<WebhookAnnouncer>();

    public string Channel => "webhook";

    /// <summary>Where it posts, without the path that holds the webhook's token.</summary>
    public string Target => url.IsDefaultPort ? url.Host : $"{url.Host}:{url.Port}";

    public Task<Delivery> AnnounceAsync(RotationNotice notice, CancellationToken cancellationToken) =>
        PostAsync(AnnouncementText.Plain(notice), cancellationToken);

    public Task<Delivery> ReportOutcomeAsync(RotationOutcome outcome, CancellationToken cancellationToken) =>
        PostAsync(AnnouncementText.OutcomePlain(outcome), cancellationToken);

    public Task<Delivery> OpenIncidentAsync(string title, string markdownBody, CancellationToken cancellationToken) =>
        // Chat gets the headline; the postmortem itself belongs in the issue and config/incidents/.
        PostAsync($"Incident: {title}", cancellationToken);

    public async Task<Delivery> PostAsync(string text, CancellationToken cancellationToken)
    {
        Effects.EffectGuard.ThrowIfDryRun(Effects.ChangeKind.Http, "post to the webhook");
        var json = new JsonObject { ["text"] = SecretRedactor.Redact(text) }.ToJsonString();
        string lastFailure = "";
        int? lastStatus = null;
        for (var attempt = 1; attempt <= options.MaxAttempts; attempt++)
        {
            if (attempt > 1)
            {
                var backoff = options.InitialBackoff * Math.Pow(2, attempt - 2);
                Log.Warning("Webhook at {Target}: attempt {Attempt} failed ({Failure}); retrying in {Backoff:0.###} s",
                    Target, attempt - 1, lastFailure, backoff.TotalSeconds);
                await Task.Delay(backoff, time, cancellationToken);
            }

            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptTimeout.CancelAfter(options.AttemptTimeout);
            try
            {
                using var content = new StringContent(json, Encoding.UTF8, "application/json");
                using var response = await http.PostAsync(url, content, attemptTimeout.Token);
                lastStatus = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                    return new Delivery(attempt == 1 ? $"posted to {Target}" : $"posted to {Target} after {attempt} attempts");
                lastFailure = $"{(int)response.StatusCode} {response.ReasonPhrase}";
                if ((int)response.StatusCode < 500)
                    throw new WebhookDeliveryException(
                        $"webhook at {Target} refused the message: {lastFailure}. Not retried, since a 4xx means the request itself is wrong. " +
                        "Fix: check the webhook URL (a revoked or mistyped URL answers 403/404) in the env's parameters file.",
                        attempt, lastStatus);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                lastFailure = $"no answer within {options.AttemptTimeout.TotalSeconds:0.###} s";
                lastStatus = null;
            }
            catch (Http.HttpAnswerRefusedException e)
            {
                // A redirect or an endless answer is the endpoint's doing, not the network's: resending cannot fix it.
                throw new WebhookDeliveryException($"webhook at {Target}: {e.Problem}. Not retried. Fix: check the webhook URL in the env's parameters file.",
                    attempt, (int)(e.StatusCode ?? 0));
            }
            catch (HttpRequestException e)
            {
                lastFailure = $"connection failed: {e.HttpRequestError}";
                lastStatus = null;
            }
        }

        throw new WebhookDeliveryException(
            $"webhook at {Target}: gave up after {options.MaxAttempts} attempts; the last one: {lastFailure}. " +
            "Fix: check that the chat service is up, or raise the webhook's attempts or timeout.",
            options.MaxAttempts, lastStatus);
    }
}
