using System.Buffers;
using System.Text.Json;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Pipeline.IO;

namespace RoboDJ.KeyRotation.Config;

/// <summary>
/// Finds the string values shaped like Fernet tokens (optionally "enc:"-prefixed) in one JSON file, with their JSON
/// paths, in one pass over the file: a <see cref="Utf8JsonReader"/> over a reused buffer, handing each finished stretch to
/// a callback. Memory stays at the buffer (about 1 MiB, more only for a longer single value), whatever the file's size.
/// </summary>
static class EncryptedFieldScanner
{
    public const string Prefix = "enc:";
    static ReadOnlySpan<byte> TokenStart => "gAAAAA"u8;
    static ReadOnlySpan<byte> PrefixedStart => "enc:gAAAAA"u8;
    static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];
    const int ChunkSize = 1 << 20;

    /// <summary>Offset of the JSON text: a UTF-8 BOM is skipped, and kept by the rewrap.</summary>
    public static int BodyStart(ReadOnlySpan<byte> json) => json.StartsWith(Bom) ? Bom.Length : 0;

    /// <summary>Opens a config file through the one input reader: a regular file of at most <see cref="InputLimits.ConfigJsonBytes"/>.</summary>
    public static FileStream Open(string path) => InputFile.Open(path, InputLimits.ConfigJsonBytes,
        fix: "a config file must be a regular JSON file: restore it from the last snapshot, or move it out of config/");

    /// <summary>Reads <paramref name="path"/> once; <paramref name="onChunk"/> sees each stretch in order.</summary>
    /// <param name="file">The name used in a <see cref="ConfigJsonException"/>.</param>
    public static void Scan(string path, string file, Action<ScanChunk> onChunk, CancellationToken cancellationToken = default)
    {
        using var stream = Open(path);
        Scan(stream, file, onChunk, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Strict, as the app's Python reads it: valid JSON, UTF-8 throughout (a string value included, which the JSON reader
    /// alone lets through), at most <see cref="InputLimits.ConfigJsonDepth"/> levels deep. An error names the line and
    /// column in the whole file, never a value.
    /// </summary>
    /// <param name="chunkSize">The buffer to start with; tests make it tiny so that every value meets a chunk's edge.</param>
    public static void Scan(Stream stream, string file, Action<ScanChunk> onChunk, int chunkSize = ChunkSize, CancellationToken cancellationToken = default)
    {
        var chunk = new ScanChunk { Buffer = ArrayPool<byte>.Shared.Rent(chunkSize) };
        var paths = new JsonPathTracker();
        // Our own depth check comes first and says which limit it is; the reader's own is only a backstop.
        var state = new JsonReaderState(new JsonReaderOptions { MaxDepth = InputLimits.ConfigJsonDepth + 1 });
        var position = new TextPosition();
        int filled = 0, start = -1;
        var final = false;
        try
        {
            while (!final)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (chunk.FileOffset + filled > InputLimits.ConfigJsonBytes)
                    throw new ConfigJsonException(file, $"{position.Line}", $"it grew past {InputLimits.ConfigJsonBytes} bytes while it was read, the limit for a config file",
                        "check what writes it, and run again once it is back to its normal size");
                if (filled == chunk.Buffer.Length) Grow(chunk, filled);
                var read = stream.Read(chunk.Buffer, filled, chunk.Buffer.Length - filled);
                filled += read;
                final = read == 0;
                if (start < 0)
                {
                    // The BOM test needs 3 bytes, unless the file is shorter.
                    if (filled < Bom.Length && !final) continue;
                    start = BodyStart(chunk.Buffer.AsSpan(0, filled));
                }
                var reader = new Utf8JsonReader(chunk.Buffer.AsSpan(start, filled - start), final, state);
                Read(ref reader, start, chunk, paths, file, position);
                state = reader.CurrentState;
                var consumed = start + (int)reader.BytesConsumed;
                // The last chunk takes everything, trailing whitespace too: a rewrite copies every byte.
                if (final) consumed = filled;
                else if (consumed == 0) continue;
                chunk.Length = consumed;
                // A chunk ends between tokens, so no character is cut in two.
                if (Utf8Text.FirstInvalid(chunk.Bytes) is var bad and >= 0)
                {
                    var (line, column) = position.At(chunk.Bytes, bad);
                    throw new ConfigJsonException(file, $"{line}", $"column {column}: a byte that is not UTF-8, which the app's Python cannot read (its config save fails on this file)",
                        "save the file as UTF-8 (re-enter the value at that spot), or restore the file from the last snapshot");
                }
                onChunk(chunk);
                position.Advance(chunk.Bytes);
                chunk.FileOffset += consumed;
                chunk.Fields.Clear();
                chunk.UnescapedLength = 0;
                chunk.Buffer.AsSpan(consumed, filled - consumed).CopyTo(chunk.Buffer);
                filled -= consumed;
                start = 0;
            }
        }
        catch (JsonException e)
        {
            // The reader's own message can quote the offending text, which may be a plaintext secret: say where, not what.
            // Its line counts from the first chunk on (the reader's state carries it), its position in bytes.
            throw new ConfigJsonException(file, $"{(e.LineNumber ?? 0) + 1}", $"it is not valid JSON (column {(e.BytePositionInLine ?? 0) + 1})",
                "correct the JSON at that spot, or restore the file from the last snapshot");
        }
        finally { ArrayPool<byte>.Shared.Return(chunk.Buffer); }
    }

    static void Grow(ScanChunk chunk, int filled)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(chunk.Buffer.Length * 2);
        chunk.Buffer.AsSpan(0, filled).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(chunk.Buffer);
        chunk.Buffer = bigger;
    }

    static void Read(ref Utf8JsonReader reader, int start, ScanChunk chunk, JsonPathTracker paths, string file, TextPosition position)
    {
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    paths.Property(ref reader);
                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    if (reader.CurrentDepth >= InputLimits.ConfigJsonDepth)
                    {
                        var (line, column) = position.At(chunk.Buffer, start + (int)reader.TokenStartIndex);
                        throw new ConfigJsonException(file, $"{line}", $"column {column}: the JSON nests deeper than {InputLimits.ConfigJsonDepth} levels, the limit for a config file",
                            "flatten the structure; no RoboDJ config nests that deep");
                    }
                    paths.Enter(reader.TokenType == JsonTokenType.StartArray);
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    paths.Leave();
                    break;
                case JsonTokenType.String:
                    paths.Value();
                    AddIfCandidate(ref reader, start, chunk, paths);
                    break;
                default:
                    paths.Value();
                    break;
            }
        }
    }

    static void AddIfCandidate(ref Utf8JsonReader reader, int start, ScanChunk chunk, JsonPathTracker paths)
    {
        var contentStart = start + (int)reader.TokenStartIndex + 1;
        var raw = reader.ValueSpan;
        if (!reader.ValueIsEscaped)
        {
            if (!raw.StartsWith(TokenStart) && !raw.StartsWith(PrefixedStart)) return;
            var prefixed = raw[0] == (byte)'e';
            var offset = prefixed ? Prefix.Length : 0;
            chunk.Fields.Add(new EncryptedField(paths.Current(), prefixed, contentStart, raw.Length, false, contentStart + offset, raw.Length - offset));
            return;
        }
        // Escapes only ever make a value longer, so the unescaped text fits in the raw length.
        if (chunk.Unescaped.Length - chunk.UnescapedLength < raw.Length)
            Array.Resize(ref chunk.Unescaped, Math.Max(chunk.Unescaped.Length * 2, chunk.UnescapedLength + raw.Length));
        var written = reader.CopyString(chunk.Unescaped.AsSpan(chunk.UnescapedLength));
        var text = chunk.Unescaped.AsSpan(chunk.UnescapedLength, written);
        if (!text.StartsWith(TokenStart) && !text.StartsWith(PrefixedStart)) return;
        var skip = text[0] == (byte)'e' ? Prefix.Length : 0;
        chunk.Fields.Add(new EncryptedField(paths.Current(), skip > 0, contentStart, raw.Length, true, chunk.UnescapedLength + skip, written - skip));
        chunk.UnescapedLength += written;
    }

    /// <summary>Whether the file holds at least one encrypted field (reads until the first).</summary>
    public static bool HoldsField(string path, string file)
    {
        var found = false;
        try
        {
            Scan(path, file, chunk =>
            {
                foreach (var field in chunk.Fields)
                    if (FernetToken.IsTokenText(chunk.TokenOf(field))) { found = true; throw new FoundException(); }
            });
        }
        catch (FoundException) { }
        return found;
    }

    sealed class FoundException : Exception;
}
