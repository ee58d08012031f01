using System.Text.RegularExpressions;

namespace RoboDJ.Pipeline;

/// <summary>
/// The one rule for echoing what a user typed in an error: a URL's user info (<see cref="UrlUserInfo"/>) and any run
/// shaped like a key or token (20 or more base64 or token characters, letters and digits mixed) become <c>***</c>.
/// A key pasted in the wrong place (a target, --env, --verbosity, a misspelt option) is still a key.
/// </summary>
public static partial class EchoedInput
{
    public static string Shown(string text) => KeyLike().Replace(UrlUserInfo.Hidden(text), "***");

    [GeneratedRegex(@"(?<![A-Za-z0-9_=+\-])(?=[A-Za-z0-9_=+\-]*[0-9])(?=[A-Za-z0-9_=+\-]*[A-Za-z])[A-Za-z0-9_=+\-]{20,}")]
    private static partial Regex KeyLike();
}
