namespace RoboDJ.KeyRotation.Config;

/// <summary>
/// A string value that starts like a Fernet token, as the scanner meets it in one chunk of a file. The raw characters
/// between the quotes are <see cref="ContentStart"/>..+<see cref="ContentLength"/> in the chunk, so a rewrap can replace
/// just those; the token's text (unescaped, without "enc:") is in the chunk's buffer or, when escaped, in its side buffer.
/// Whether it really is a token (base64, version, length) is decided later, with the crypto, on every core.
/// </summary>
readonly record struct EncryptedField(string JsonPath, bool Prefixed, int ContentStart, int ContentLength, bool Escaped, int TokenStart, int TokenLength);
