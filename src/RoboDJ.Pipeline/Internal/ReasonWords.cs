using System.Text.RegularExpressions;

namespace RoboDJ.Pipeline.Internal;

/// <summary>
/// Words for a condition that was given no reason: the plan and the summary never show C#. "IsSandbox &amp;&amp;
/// !Exists(Root)" reads "is sandbox and not exists (root)"; names split as the CLI spells them (Names.Kebab).
/// </summary>
static partial class ReasonWords
{
    /// <summary>The skip reason of a condition without words: its expression, worded, said to be false.</summary>
    public static string ConditionIsFalse(string expression) => $"the condition \"{Of(expression)}\" is false";

    public static string Of(string expression)
    {
        var text = Lambda().Replace(expression.Trim(), "");
        text = NullCheck().Replace(text, m => m.Groups[1].Value is "!=" or "is not" ? " is set" : " is not set");
        text = Operator().Replace(text, m => m.Value switch
        {
            "&&" => " and ", "||" => " or ", "==" => " is ", "!=" => " is not ", ">=" => " at least ", "<=" => " at most ",
            ">" => " more than ", "<" => " less than ", "!" => " not ", "()" => " ", "." or "?" => " ", _ => " ",
        });
        text = Identifier().Replace(text, m => Names.Kebab(m.Value).Replace('-', ' '));
        text = text.Replace("(", " (");
        return string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Replace("( ", "(").Replace(" )", ")");
    }

    [GeneratedRegex(@"^\(\)\s*=>\s*")]
    private static partial Regex Lambda();

    [GeneratedRegex(@"\s*(!=|==|is not|is)\s*null\b")]
    private static partial Regex NullCheck();

    [GeneratedRegex(@"&&|\|\||==|!=|>=|<=|\(\)|[!<>.?]")]
    private static partial Regex Operator();

    [GeneratedRegex(@"\b[A-Za-z_][A-Za-z0-9_]*\b")]
    private static partial Regex Identifier();
}
