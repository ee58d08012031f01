using System.Collections.Concurrent;
using System.Text;

namespace RoboDJ.Pipeline;

/// <summary>
/// The engine owns all output, so it owns redaction. The one registry of secret values this process has read or generated. Every output path (Serilog, console,
/// exceptions shown to the user, summaries) passes through <see cref="Redact"/>, which replaces the plain,
/// base64 and URL-encoded forms of each secret with ***&lt;fingerprint&gt;.
/// </summary>
public static class SecretRedactor
{
    static readonly ConcurrentDictionary<string, (string Form, string Replacement)[]> secrets = new();

    /// <summary>Raised once per newly registered secret, e.g. to emit ::add-mask:: under GitHub Actions.</summary>
    public static event Action<string>? Registered;

    public static void Register(string secret)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length < 6) return;
        var replacement = "***" + SecretFingerprint.Hex(secret);
        var forms = FormsOf(secret).Distinct().Select(f => (f, replacement)).ToArray();
        if (secrets.TryAdd(secret, forms)) Registered?.Invoke(secret);
    }

    public static IEnumerable<string> RegisteredSecrets => secrets.Keys;

    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text) || secrets.IsEmpty) return text ?? "";
        foreach (var forms in secrets.Values)
            foreach (var (form, replacement) in forms)
                if (text.Contains(form, StringComparison.Ordinal))
                    text = text.Replace(form, replacement, StringComparison.Ordinal);
        return text;
    }

    /// <summary>The forms a secret can take in output: plain, base64 (padded or not), URL-encoded.</summary>
    public static IEnumerable<string> FormsOf(string secret)
    {
        yield return secret;
        var b64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(secret));
        yield return b64;
        yield return b64.TrimEnd('=');
        yield return Uri.EscapeDataString(secret);
        yield return System.Net.WebUtility.UrlEncode(secret);
    }
}
