using RoboDJ.Pipeline;

namespace RoboDJ.KeyRotation.Verification;

/// <summary>
/// The dashboard's address as an operator writes it (--dashboard-url, a fleet file's dashboard): an http URL on
/// 127.0.0.1, the only address the pipeline talks to, without user info (the password comes from DASHBOARD_PASSWORD).
/// </summary>
public sealed class DashboardAddress : IParameterCheck
{
    /// <summary>--dashboard-url none: no dashboard checks.</summary>
    public const string None = "none";
    public const string Example = "http://127.0.0.1:8080/";

    string? IParameterCheck.Problem(string value) =>
        value == None ? null : ProblemWith(value) is { } problem ? $"{problem}. Give the dashboard as {Example} (127.0.0.1 only), or {None} to turn the dashboard checks off." : null;

    /// <summary>What is wrong with the address, or null; never repeats the text, which may hold a credential.</summary>
    public static string? ProblemWith(string text)
    {
        if (UrlUserInfo.IsIn(text))
            return "it carries user info (user:password@), a credential in plain text, so it is refused; give the URL without it, and the password as DASHBOARD_PASSWORD";
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttp)
            return "it is not an http:// URL";
        if (url.Host != "127.0.0.1")
            return "it is not on 127.0.0.1; the pipeline talks only to 127.0.0.1";
        return null;
    }
}
