using System.Text;
using System.Text.Json;

namespace RoboDJ.KeyRotation.Config;

/// <summary>
/// Where the JSON reader is, as a path like <c>$.stations[2].api_token</c>. Frames are reused between siblings, and a
/// property's rendered segment is kept until the name changes, so a million fields cost one path string each.
/// </summary>
sealed class JsonPathTracker
{
    readonly List<Frame> frames = [];
    readonly StringBuilder path = new();
    int depth;

    public void Enter(bool isArray)
    {
        Value();
        if (depth == frames.Count) frames.Add(new Frame());
        frames[depth++].Reset(isArray);
    }

    public void Leave() => depth--;

    /// <summary>A value (or a container's start) inside an array moves the index on.</summary>
    public void Value()
    {
        if (depth > 0 && frames[depth - 1].IsArray) frames[depth - 1].Index++;
    }

    public void Property(ref Utf8JsonReader reader) => frames[depth - 1].SetProperty(ref reader);

    public string Current()
    {
        path.Clear().Append('$');
        for (var i = 0; i < depth; i++)
        {
            var frame = frames[i];
            if (frame.IsArray) path.Append('[').Append(frame.Index).Append(']');
            else if (frame.Segment() is { } segment) path.Append(segment);
        }
        return path.ToString();
    }

    sealed class Frame
    {
        byte[] name = new byte[64];
        int nameLength = -1;
        string? segment;

        public bool IsArray { get; private set; }
        public int Index { get; set; }

        public void Reset(bool isArray)
        {
            IsArray = isArray;
            Index = -1;
            nameLength = -1;
            segment = null;
        }

        public void SetProperty(ref Utf8JsonReader reader)
        {
            var raw = reader.ValueSpan;
            if (!reader.ValueIsEscaped && nameLength >= 0 && raw.SequenceEqual(name.AsSpan(0, nameLength))) return;
            if (name.Length < raw.Length) name = new byte[raw.Length];
            nameLength = reader.CopyString(name);
            segment = null;
        }

        public string? Segment()
        {
            if (nameLength < 0) return null;
            if (segment is not null) return segment;
            var text = Encoding.UTF8.GetString(name, 0, nameLength);
            return segment = IsIdentifier(text) ? "." + text : "['" + text.Replace("\\", "\\\\").Replace("'", "\\'") + "']";
        }

        static bool IsIdentifier(string name) =>
            name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
    }
}
