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
    [InlineData("A=1\n=novalue\nC=3\n", 2, "variable name")]
    [InlineData("C=3\nA='unterminated\nA=1\n", 2, "not closed")]
    [InlineData("A=1\nB=\"x\" trailing\nC=3\n", 2, "after the value")]
    [InlineData("A=1\nB value\nC=3\n", 2, "after the value")]
    public void An_unparseable_line_is_skipped_with_a_warning_naming_file_line_and_fix_as_python_dotenv_does(string text, int line, string problem)
    {
        var file = DotEnvFile.Parse(text, "deploy/.env");

        var warning = Assert.Single(file.Warnings);
        Assert.Equal(line, warning.Line);
        Assert.StartsWith($"deploy/.env:{line}: ", warning.ToString());
        Assert.Contains(problem, warning.Problem);
        Assert.Contains("Fix: ", warning.ToString());
        Assert.Equal("1", file["A"]);
        Assert.Equal("3", file["C"]);
        Assert.Null(file["B"]);
    }

    [Fact]
    public void A_skipped_line_never_quotes_the_value()
    {
        var file = DotEnvFile.Parse("ROBODJ_SECRET_KEY='s3cr3t-value\n", ".env");
        Assert.DoesNotContain("s3cr3t", Assert.Single(file.Warnings).ToString());
        Assert.Null(file["ROBODJ_SECRET_KEY"]);
    }

    [Fact]
    public void A_BOM_a_key_assigned_twice_and_a_commented_out_key_are_reported_by_line()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(System.Text.Encoding.UTF8.GetBytes("ROBODJ_ENV=sandbox\nK=old\n# ROBODJ_SECRET_KEY=zz-retired-9\nK=new\n")).ToArray();

        var file = DotEnvFile.FromBytes(bytes, ".env");

        Assert.Equal([1, 2], file.Warnings.Select(w => w.Line));
        Assert.Contains("byte-order mark", file.Warnings[0].Problem);
        Assert.Contains("K is assigned on lines 2, 4", file.Warnings[1].Problem);
        Assert.Equal("new", file["K"]);
        Assert.Equal([3], file.CommentedOutAssignments("ROBODJ_SECRET_KEY"));
        Assert.DoesNotContain("zz-retired-9", string.Join("\n", file.Warnings));
    }

    [Fact]
    public void Invalid_utf8_is_a_typed_error()
    {
        var e = Assert.Throws<DotEnvSyntaxException>(() => DotEnvFile.FromBytes([0x41, 0x3D, 0xFF, 0x0A], ".env"));
        Assert.Contains("UTF-8", e.Message);
    }
}
