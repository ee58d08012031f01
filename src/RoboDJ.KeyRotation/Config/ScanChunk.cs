namespace RoboDJ.KeyRotation.Config;

/// <summary>
/// A stretch of one config file that the JSON reader has finished with: its bytes, where it starts in the file, and the
/// candidate fields inside it. Valid only during the scanner's callback; the buffers are reused for the next chunk.
/// </summary>
sealed class ScanChunk
{
    internal byte[] Buffer = [];
    internal byte[] Unescaped = new byte[4096];
    internal int UnescapedLength;

    /// <summary>The chunk's bytes, a whole number of JSON tokens (a BOM included in the first).</summary>
    public ReadOnlySpan<byte> Bytes => Buffer.AsSpan(0, Length);
    public int Length { get; internal set; }
    /// <summary>Where <see cref="Bytes"/> starts in the file.</summary>
    public long FileOffset { get; internal set; }
    public List<EncryptedField> Fields { get; } = [];

    /// <summary>The token's text (UTF-8, unescaped, without "enc:").</summary>
    public ReadOnlySpan<byte> TokenOf(in EncryptedField field) =>
        (field.Escaped ? Unescaped : Buffer).AsSpan(field.TokenStart, field.TokenLength);
}
