using System.Text;
using Xunit;

namespace RoboDJ.Testing;

/// <summary>Asserts that no form of a planted secret (plain, base64, URL-encoded) appears in some output.</summary>
public static class Canary
{
    public static IEnumerable<string> FormsOf(string secret)
    {
        yield return secret;
        var b64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(secret));
        yield return b64.TrimEnd('=');
        yield return Uri.EscapeDataString(secret);
        yield return System.Net.WebUtility.UrlEncode(secret);
        // The key's own 32 bytes in standard base64 (a Fernet key is urlsafe base64 of them).
        yield return secret.Replace('-', '+').Replace('_', '/').TrimEnd('=');
    }

    public static void AssertAbsent(string output, IEnumerable<string> secrets, string where)
    {
        foreach (var secret in secrets)
            foreach (var form in FormsOf(secret).Distinct())
                Assert.False(output.Contains(form, StringComparison.Ordinal), $"a canary secret (form '{Describe(form, secret)}') leaked into {where}");
    }

    /// <summary>Scans every file below a folder, except the ones named.</summary>
    public static void AssertAbsentFromTree(string root, IEnumerable<string> secrets, params string[] exceptRelativePaths)
    {
        var list = secrets.ToList();
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(root, file);
            if (exceptRelativePaths.Contains(rel)) continue;
            AssertAbsent(File.ReadAllText(file), list, rel);
        }
    }

    static string Describe(string form, string secret) => form == secret ? "plain" : "encoded";
}
