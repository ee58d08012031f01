using System.Text.RegularExpressions;

namespace RoboDJ.Pipeline;

/// <summary>
/// The <c>user:password@</c> part of a URL is a credential in plain text. No value is ever shown with it, and a parameter
/// that is not a secret refuses it: a password comes from its own environment variable.
/// </summary>
public static partial class UrlUserInfo
{
    public static bool IsIn(string text) => Authority().IsMatch(text);

    /// <summary>The text with every URL's user info replaced by <c>***</c>.</summary>
    public static string Hidden(string text) => Authority().Replace(text, m => m.Groups["scheme"].Value + "***@");

    // scheme://, then anything up to an '@' that comes before the authority ends (/, ?, # or white space).
    [GeneratedRegex(@"(?<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)[^/?#@\s]*@")]
    private static partial Regex Authority();
}
