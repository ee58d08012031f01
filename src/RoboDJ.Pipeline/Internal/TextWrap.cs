using System.Text;

namespace RoboDJ.Pipeline.Internal;

/// <summary>
/// Word-wrapping for the help and the summary table. Lines break between words; a word longer than the room left (a
/// path) breaks after a '/' or '\', so a file name stays whole. Only a piece longer than a whole line is ever cut.
/// </summary>
static class TextWrap
{
    public static List<string> Wrap(string text, int width)
    {
        width = Math.Max(1, width);
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (Fits(line, word, width)) { Append(line, word); continue; }
            if (word.Length <= width) { lines.Add(line.ToString()); line.Clear().Append(word); continue; }
            // A word no line can hold: its pieces fill the line they start on, a break after each separator.
            var joiner = line.Length > 0 ? " " : "";
            foreach (var piece in Pieces(word))
            {
                if (line.Length + joiner.Length + piece.Length <= width) line.Append(joiner).Append(piece);
                else
                {
                    if (line.Length > 0) { lines.Add(line.ToString()); line.Clear(); }
                    var rest = piece;
                    while (rest.Length > width) { lines.Add(rest[..width]); rest = rest[width..]; }
                    line.Append(rest);
                }
                joiner = "";
            }
        }
        if (line.Length > 0 || lines.Count == 0) lines.Add(line.ToString());
        return lines;
    }

    static bool Fits(StringBuilder line, string word, int width) => line.Length + (line.Length > 0 ? 1 : 0) + word.Length <= width;

    static void Append(StringBuilder line, string word)
    {
        if (line.Length > 0) line.Append(' ');
        line.Append(word);
    }

    /// <summary>"/srv/robodj/config/x.json" as "/", "srv/", "robodj/", "config/", "x.json".</summary>
    static IEnumerable<string> Pieces(string word)
    {
        var start = 0;
        for (var i = 0; i < word.Length; i++)
            if (word[i] is '/' or '\\')
            {
                yield return word[start..(i + 1)];
                start = i + 1;
            }
        if (start < word.Length) yield return word[start..];
    }
}
