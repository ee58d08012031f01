using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace RoboDJ.Pipeline.IO;

/// <summary>
/// Strict UTF-8 for input files: the first byte that is not UTF-8, and where it is as a person counts (line, and column in
/// characters, both from 1), so an error points at the spot an editor shows. Python, which the app is written in, reads
/// its files as strict UTF-8 too: a byte it would choke on is refused here before anything changes.
/// </summary>
public static class Utf8Text
{
    static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The offset of the first byte that is not part of valid UTF-8, or -1 when every byte is.</summary>
    public static int FirstInvalid(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes)) return -1;
        var scratch = ArrayPool<char>.Shared.Rent(4096);
        try
        {
            var at = 0;
            while (true)
            {
                var status = Utf8.ToUtf16(bytes[at..], scratch, out var read, out _, replaceInvalidSequences: false);
                at += read;
                if (status == OperationStatus.InvalidData || status == OperationStatus.NeedMoreData) return at;
                if (status == OperationStatus.Done) return -1;
            }
        }
        finally { ArrayPool<char>.Shared.Return(scratch); }
    }

    /// <summary>Decodes strictly; on a bad byte, <paramref name="refuse"/> builds the error from its line and column.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, Func<int, int, Exception> refuse, bool universalNewlines = false)
    {
        var bad = FirstInvalid(bytes);
        if (bad >= 0)
        {
            var (line, column) = PositionOf(bytes, bad, universalNewlines);
            throw refuse(line, column);
        }
        return Strict.GetString(bytes);
    }

    /// <summary>
    /// Line and column (both from 1, the column in characters) of the byte at <paramref name="offset"/>. Lines end at LF,
    /// or, with <paramref name="universalNewlines"/> as Python's text files and dotenv read them, also at CR and CRLF.
    /// </summary>
    public static (int Line, int Column) PositionOf(ReadOnlySpan<byte> bytes, int offset, bool universalNewlines = false)
    {
        var position = new TextPosition(universalNewlines);
        position.Advance(bytes[..offset]);
        return ((int)position.Line, (int)position.Column);
    }

    /// <summary>One line of a message saying where a byte is not UTF-8.</summary>
    public static string NotUtf8(int line, int column) => $"line {line}, column {column}: a byte that is not UTF-8";
}

/// <summary>
/// Where a reader is in a text it sees in pieces: the line and column (from 1, the column in characters) after the
/// bytes it was given. A piece may end inside a CRLF pair or a character; the next piece carries on correctly.
/// </summary>
public sealed class TextPosition(bool universalNewlines = false)
{
    bool afterCr;

    public long Line { get; private set; } = 1;
    public long Column { get; private set; } = 1;

    public void Advance(ReadOnlySpan<byte> bytes)
    {
        if (!universalNewlines)
        {
            // A big file goes by in chunks: count its lines vectorised, and characters only after the last line break.
            var last = bytes.LastIndexOf((byte)'\n');
            if (last >= 0)
            {
                Line += bytes.Count((byte)'\n');
                Column = 1;
                bytes = bytes[(last + 1)..];
            }
            Column += bytes.Length - CountContinuationBytes(bytes);
            return;
        }
        foreach (var b in bytes)
        {
            if (b == (byte)'\n')
            {
                if (!(universalNewlines && afterCr)) Line++;
                Column = 1;
                afterCr = false;
                continue;
            }
            if (universalNewlines && b == (byte)'\r')
            {
                Line++;
                Column = 1;
                afterCr = true;
                continue;
            }
            afterCr = false;
            // A continuation byte belongs to the character its lead byte started.
            if ((b & 0xC0) != 0x80) Column++;
        }
    }

    static int CountContinuationBytes(ReadOnlySpan<byte> bytes)
    {
        var count = 0;
        foreach (var b in bytes)
            if ((b & 0xC0) == 0x80) count++;
        return count;
    }

    /// <summary>The position of the byte at <paramref name="offset"/> of <paramref name="next"/>, the bytes that come after these.</summary>
    public (long Line, long Column) At(ReadOnlySpan<byte> next, int offset)
    {
        var probe = new TextPosition(universalNewlines) { Line = Line, Column = Column, afterCr = afterCr };
        probe.Advance(next[..offset]);
        return (probe.Line, probe.Column);
    }
}
