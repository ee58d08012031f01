using System.Text;

namespace RoboDJ.Pipeline.Internal;

/// <summary>Member names as the CLI (kebab-case) and the environment (UPPER_SNAKE) spell them, and "did you mean".</summary>
static class Names
{
    /// <summary>
    /// The environment binds a parameter only under this prefix (ROTATION_ENV, ROTATION_DEPLOYMENT_ROOT): the app owns
    /// ROBODJ_*, and a bare name (ENV, CONFIRM, REWRAP) is anyone's, e.g. ENV is POSIX sh's start-up file.
    /// </summary>
    public const string EnvironmentPrefix = "ROTATION_";

    /// <summary>GitHubRepository: github-repository, as a user types the brand; the split spelling still binds (see Normalize).</summary>
    public static string Kebab(string name) => Split(OneWordBrands(name), '-', upper: false);
    public static string UpperSnake(string name) => Split(OneWordBrands(name), '_', upper: true);

    /// <summary>Comparison key that ignores case, dashes and underscores: --dashboard-password == DashboardPassword.</summary>
    public static string Normalize(string name) => new(name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    static readonly string[] Brands = ["GitHub", "GitLab"];

    static string OneWordBrands(string name)
    {
        foreach (var brand in Brands) name = name.Replace(brand, brand[0] + brand[1..].ToLowerInvariant(), StringComparison.Ordinal);
        return name;
    }

    static string Split(string name, char separator, bool upper)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c is '_' or '-') { sb.Append(separator); continue; }
            var boundary = i > 0 && char.IsUpper(c) && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])
                || (i + 1 < name.Length && char.IsUpper(name[i - 1]) && char.IsLower(name[i + 1])));
            if (boundary && sb.Length > 0 && sb[^1] != separator) sb.Append(separator);
            sb.Append(upper ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    /// <summary>" Did you mean 'X'?" for the closest candidate within a small edit distance, or "".</summary>
    public static string DidYouMean(string given, IEnumerable<string> candidates, string prefix = "")
    {
        var key = Normalize(given);
        var best = candidates.Select(c => (c, d: Distance(key, Normalize(c)))).OrderBy(x => x.d).FirstOrDefault();
        return best.c is not null && best.d <= Math.Max(2, key.Length / 3) ? $" Did you mean '{prefix}{best.c}'?" : "";
    }

    static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var prev = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var current = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), prev + (a[i - 1] == b[j - 1] ? 0 : 1));
                prev = current;
            }
        }
        return row[b.Length];
    }
}
