using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.KeyRotation.Tests.Secrets;

public sealed class DotEnvFileTests
{
    static DotEnvFile Parse(DotEnvBuilder b) => DotEnvFile.FromBytes(b.Bytes, ".env");

    [Fact]
    public void Parse_reads_quotes_escapes_export_and_inline_comments()
    {
        var file = Parse(new DotEnvBuilder().Lines(
            "export A=1", "B = two # comment", "C='single # not a comment'", @"D=""x\ny\""z""", @"E='it\'s'", "F=a#b", "G=", "# H=no"));
        Assert.Equal("1", file["A"]);
        Assert.Equal("two", file["B"]);
        Assert.Equal("single # not a comment", file["C"]);
        Assert.Equal("x\ny\"z", file["D"]);
        Assert.Equal("it's", file["E"]);
        Assert.Equal("a#b", file["F"]);
        Assert.Equal("", file["G"]);
        Assert.Null(file.Find("H"));
    }

    [Fact]
    public void The_last_of_duplicate_keys_wins_and_an_edit_changes_that_one()
    {
        var builder = new DotEnvBuilder().Lines("K=first", "K=second");
        var file = Parse(builder);
        Assert.Equal("second", file["K"]);
        Assert.Equal(2, file.Find("K")!.Line);
        Assert.Equal("K=first\nK=third\n", file.With("K", "third").Text);
    }

    [Fact]
    public void Setting_a_value_keeps_every_other_byte_including_bom_crlf_quotes_and_comments()
    {
        var builder = new DotEnvBuilder().WithBom().Crlf().NoTrailingNewline().Lines(
            "# keys", "export ROBODJ_SECRET_KEY='old'  # primary", "", "ROBODJ_SECRET_V2_KEY=\"older\"", "OTHER=keep");
        var edited = Parse(builder).With([new("ROBODJ_SECRET_KEY", "new-key="), new("ROBODJ_SECRET_V2_KEY", "old")]);
        var expected = new DotEnvBuilder().WithBom().Crlf().NoTrailingNewline().Lines(
            "# keys", "export ROBODJ_SECRET_KEY='new-key='  # primary", "", "ROBODJ_SECRET_V2_KEY=\"old\"", "OTHER=keep");
        Assert.Equal(expected.Bytes, edited.ToBytes());
    }

    [Fact]
    public void A_new_key_is_appended_in_the_files_line_ending_style()
    {
        Assert.Equal("A=1\r\nB=2\r\n", DotEnvFile.Parse("A=1\r\n", ".env").With("B", "2").Text);
        Assert.Equal("A=1\r\nC=x\r\nB=2\r\n", DotEnvFile.Parse("A=1\r\nC=x", ".env").With("B", "2").Text);
        Assert.Equal("B=2\n", DotEnvFile.Parse("", ".env").With("B", "2").Text);
    }

    [Fact]
    public void A_value_that_needs_quotes_is_quoted_so_it_reads_back_unchanged()
    {
        var file = DotEnvFile.Parse("A=plain\n", ".env").With("A", "has space # and hash");
        Assert.Equal("A='has space # and hash'\n", file.Text);
        Assert.Equal("it's \\ \"x\"", DotEnvFile.Parse("A=1\n", ".env").With("A", "it's \\ \"x\"")["A"]);
    }

    [Fact]
    public void A_bare_key_gets_its_value_without_eating_a_comment()
    {
        var file = DotEnvFile.Parse("BARE # comment\n", ".env");
        Assert.Null(file["BARE"]);
        Assert.Equal("v", file.With("BARE", "v")["BARE"]);
    }

    [Theory]
    [InlineData("A=1\n=novalue\n", 2, "variable name")]
    [InlineData("A='unterminated\nB=2\n", 1, "not closed")]
    [InlineData("A=1\nB=\"x\" trailing\n", 2, "after the value")]
    [InlineData("A=1\nB value\n", 2, "after the value")]
    public void An_unparseable_line_is_a_typed_error_naming_file_line_and_fix(string text, int line, string problem)
    {
        var e = Assert.Throws<DotEnvSyntaxException>(() => DotEnvFile.Parse(text, "deploy/.env"));
        Assert.Equal(line, e.Line);
        Assert.StartsWith($"deploy/.env:{line}: ", e.Message);
        Assert.Contains(problem, e.Message);
        Assert.Contains("Fix: ", e.Message);
    }

    [Fact]
    public void A_syntax_error_never_quotes_the_value()
    {
        var e = Assert.Throws<DotEnvSyntaxException>(() => DotEnvFile.Parse("ROBODJ_SECRET_KEY='s3cr3t-value\n", ".env"));
        Assert.DoesNotContain("s3cr3t", e.Message);
    }

    [Fact]
    public void Invalid_utf8_is_a_typed_error()
    {
        var e = Assert.Throws<DotEnvSyntaxException>(() => DotEnvFile.FromBytes([0x41, 0x3D, 0xFF, 0x0A], ".env"));
        Assert.Contains("UTF-8", e.Message);
    }
}
