using System.Text.RegularExpressions;

namespace RoboDJ.Pipeline;

/// <summary>
/// The one rule for echoing what a user typed in an error: a URL's user info (<see cref="UrlUserInfo"/>) and any run
/// shaped like a key or token become <c>***</c>. A key pasted in the wrong place (a target, --env, --verbosity, a
/// misspelt option) is still a key. Shaped like a key: 20 or more urlsafe base64 or token characters, letters and digits
/// mixed; or 20 or more standard base64 characters ('/' and '+' too) mixed as a random key mixes them, both cases and a
/// digit (or, with no digit, ten of each case), which a path or a URL's path seldom is.
/// </summary>
public static partial class EchoedInput
{
    public static string Shown(string text) =>
        KeyLike().Replace(Base64Run().Replace(UrlUserInfo.Hidden(text), m => MixedAsARandomKey(m.Value) ? "***" : m.Value), "***");

    static bool MixedAsARandomKey(string run)
    {
        var (upper, lower, digits) = (run.Count(char.IsAsciiLetterUpper), run.Count(char.IsAsciiLetterLower), run.Count(char.IsAsciiDigit));
        return upper >= 5 && lower >= 5 && (digits > 0 || upper >= 10 && lower >= 10);
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9_=+/\-])[A-Za-z0-9_=+/\-]{20,}")]
    private static partial Regex Base64Run();

    [GeneratedRegex(@"(?<![A-Za-z0-9_=+\-])(?=[A-Za-z0-9_=+\-]*[0-9])(?=[A-Za-z0-9_=+\-]*[A-Za-z])[A-Za-z0-9_=+\-]{20,}")]
    private static partial Regex KeyLike();
}
