using System.Text.RegularExpressions;

namespace RoboDJ.Pipeline;

/// <summary>
/// The <c>user:password@</c> part of a URL is a credential in plain text. No value is ever shown with it, and a parameter
/// that is not a secret refuses it: a password comes from its own environment variable.
/// </summary>
public static partial class UrlUserInfo
{
    /// <summary>Whether the text holds user info as we read URLs or as .NET's <see cref="Uri"/> does (http:\\u:p@host is http://u:p@host to it).</summary>
    public static bool IsIn(string text) => Authority().IsMatch(text) || HasUriUserInfo(text);

    /// <summary>The text with every URL's user info replaced by <c>***</c>; a whole placeholder should the pattern miss one Uri finds.</summary>
    public static string Hidden(string text)
    {
        var hidden = Authority().Replace(text, m => m.Groups["scheme"].Value + "***@");
        return HasUriUserInfo(hidden, except: "***") ? "(a URL with user info, not shown)" : hidden;
    }

    static bool HasUriUserInfo(string text, string except = "") =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) && url.UserInfo.Length > 0 && url.UserInfo != except;

    // scheme: and two slashes, either way round, then anything up to an '@' that comes before the authority ends (a
    // slash, ?, # or white space).
    [GeneratedRegex(@"(?<scheme>[A-Za-z][A-Za-z0-9+.\-]*:[/\\]{2})[^/\\?#@\s]*@")]
    private static partial Regex Authority();
}
