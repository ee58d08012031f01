namespace RoboDJ.KeyRotation.Config;

/// <summary>Where a token sits in a file's bytes: the raw characters between the quotes, so a rewrap can replace just those.</summary>
readonly record struct EncryptedField(string JsonPath, string Token, bool Prefixed, int ContentStart, int ContentLength);
