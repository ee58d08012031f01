using System.Text;

namespace RoboDJ.KeyRotation.Tests.Secrets;

/// <summary>Builds .env files line by line, with a chosen line ending, BOM and trailing newline.</summary>
sealed class DotEnvBuilder
{
    readonly List<string> lines = [];
    string eol = "\n";
    bool bom;
    bool trailingNewline = true;

    public DotEnvBuilder Line(string line) { lines.Add(line); return this; }
    public DotEnvBuilder Lines(params string[] more) { lines.AddRange(more); return this; }
    public DotEnvBuilder Crlf() { eol = "\r\n"; return this; }
    public DotEnvBuilder WithBom() { bom = true; return this; }
    public DotEnvBuilder NoTrailingNewline() { trailingNewline = false; return this; }

    public string Text => string.Join(eol, lines) + (trailingNewline && lines.Count > 0 ? eol : "");
    public byte[] Bytes => bom ? [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Text)] : Encoding.UTF8.GetBytes(Text);

    public string WriteTo(string path) { File.WriteAllBytes(path, Bytes); return path; }

    /// <summary>The tricky files that docker compose and python-dotenv both accept.</summary>
    public static IEnumerable<(string Name, DotEnvBuilder File)> Corpus()
    {
        yield return ("plain", new DotEnvBuilder().Lines("ROBODJ_ENV=staging", "ROBODJ_SECRET_KEY=old", "ROBODJ_SECRET_V2_KEY=older"));
        yield return ("crlf with comments", new DotEnvBuilder().Crlf().Lines("# RoboDJ", "", "ROBODJ_ENV=production # inline", "ROBODJ_SECRET_KEY='old'", "  # indented comment", "ROBODJ_SECRET_V2_KEY=\"older\""));
        yield return ("bom and export", new DotEnvBuilder().WithBom().Lines("export ROBODJ_SECRET_KEY=old", "export  ROBODJ_ENV = spaced", "ROBODJ_SECRET_V2_KEY=x"));
        yield return ("no trailing newline", new DotEnvBuilder().NoTrailingNewline().Lines("A=1", "ROBODJ_SECRET_KEY=old"));
        yield return ("duplicates", new DotEnvBuilder().Lines("ROBODJ_SECRET_KEY=first", "B=2", "ROBODJ_SECRET_KEY=second # the one that counts", "B=3"));
        yield return ("escapes", new DotEnvBuilder().Lines(@"D=""tab\there \""quoted\"" back\\slash""", @"S='it\'s \\ not \n'", "H=a#b", "I=a #b", "E=", "Q=''", "U=ünïcödé"));
        yield return ("multiline double quotes", new DotEnvBuilder().Lines("M=\"line one", "line two\"", "ROBODJ_SECRET_KEY=old"));
        yield return ("multiline crlf", new DotEnvBuilder().Crlf().Lines("M='a", "b'", "N=1"));
        yield return ("missing key to append", new DotEnvBuilder().Crlf().Lines("ROBODJ_ENV=staging"));
        yield return ("quoted key and bare key", new DotEnvBuilder().Lines("'QK'=v", "BARE", "T=\"x\" # after quotes", "W = spaced value  "));
        yield return ("empty", new DotEnvBuilder());
        yield return ("lines python-dotenv skips", new DotEnvBuilder().Lines("A=1", "=novalue", "B=\"x\" trailing", "C='unterminated", "D=4", "E value", "export", "F=6"));
        yield return ("equals in value", new DotEnvBuilder().Lines("URL=postgres://u:p@h/db?x=1", "ROBODJ_SECRET_KEY=abc=="));
    }
}
