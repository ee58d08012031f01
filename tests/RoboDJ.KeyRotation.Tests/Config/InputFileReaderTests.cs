using System.Diagnostics;
using System.Text;
using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Fleet;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Pipeline.IO;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Config;

/// <summary>The one reader of input files: regular files only, bounded, strictly decoded, errors that say where.</summary>
public sealed class InputFileReaderTests : IDisposable
{
    readonly TempDir dir = new();

    [Fact]
    public void A_fifo_is_refused_as_a_named_pipe_at_once_without_waiting_for_a_writer()
    {
        var fifo = dir.Combine(".env");
        HostileFiles.Fifo(fifo);
        var watch = Stopwatch.StartNew();
        var e = Assert.Throws<InputFileException>(() => InputFile.ReadAllBytes(fifo, 1024, TestContext.Current.CancellationToken));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        Assert.Contains($"{fifo} is a named pipe (FIFO)", e.Message);
        Assert.Contains("Fix:", e.Message);
    }

    [Fact]
    public void A_link_to_dev_zero_is_refused_as_a_device_naming_the_final_target()
    {
        var env = dir.Combine(".env");
        HostileFiles.Link(env, "/dev/zero");
        var e = Assert.Throws<InputFileException>(() => InputFile.ReadAllBytes(env, 1 << 20, TestContext.Current.CancellationToken));
        Assert.Contains($"{env} (a symbolic link to /dev/zero) is a character device", e.Message);
    }

    [Fact]
    public void A_folder_a_dangling_link_and_a_link_loop_are_each_named_as_what_they_are()
    {
        Directory.CreateDirectory(dir.Combine("folder"));
        HostileFiles.Link(dir.Combine("dangling"), dir.Combine("nowhere"));
        HostileFiles.Link(dir.Combine("a"), dir.Combine("b"));
        HostileFiles.Link(dir.Combine("b"), dir.Combine("a"));

        Assert.Contains("is a folder, not a file", Assert.Throws<InputFileException>(() => InputFile.ReadAllBytes(dir.Combine("folder"), 10, TestContext.Current.CancellationToken)).Message);
        Assert.Contains($"is a symbolic link to {dir.Combine("nowhere")}, which does not exist (a dangling link)",
            Assert.Throws<InputFileException>(() => InputFile.ReadAllBytes(dir.Combine("dangling"), 10, TestContext.Current.CancellationToken)).Message);
        Assert.Contains("a link loop", Assert.Throws<InputFileException>(() => InputFile.ReadAllBytes(dir.Combine("a"), 10, TestContext.Current.CancellationToken)).Message);
    }

    [Fact]
    public void A_file_over_its_limit_is_refused_with_its_size_and_the_limit()
    {
        File.WriteAllBytes(dir.Combine("big"), new byte[2048]);
        var e = Assert.Throws<InputFileException>(() => InputFile.ReadAllBytes(dir.Combine("big"), 1024, TestContext.Current.CancellationToken));
        Assert.Contains("is 2,048 bytes, over the limit of 1,024 bytes", e.Message);
    }

    [Fact]
    public void Invalid_utf8_in_env_is_reported_at_its_real_line_and_column()
    {
        var env = dir.Combine(".env");
        File.WriteAllBytes(env, [.. "A=1\r\nB=2\nC=3\rD=4\nE=caf"u8, 0xE9, .. "\n"u8]);
        var e = Assert.Throws<DotEnvSyntaxException>(() => DotEnvFile.Load(env));
        Assert.Equal(5, e.Line);
        Assert.Contains($"{env}:5: column 6: a byte that is not UTF-8", e.Message);
    }

    [Fact]
    public async Task An_unterminated_quote_is_named_at_its_line_as_the_reason_V1_below_it_is_not_read()
    {
        var env = dir.Combine(".env");
        var key = FernetKey.Generate();
        File.WriteAllText(env, $"ROBODJ_ENV=staging\nA=1\nB=2\nNOTE=\"left open\nROBODJ_SECRET_KEY=\"{key.Text}\"\nROBODJ_SECRET_V2_KEY={FernetKey.Generate().Text}\n");
        var e = await Assert.ThrowsAsync<DotEnvSyntaxException>(() => new DotEnvSecretStore(env).ReadAsync(TestContext.Current.CancellationToken));
        Assert.Equal(4, e.Line);
        Assert.Contains("ROBODJ_SECRET_KEY on line 5 is not read", e.Message);
        Assert.DoesNotContain(key.Text, e.Message);
    }

    [Fact]
    public void A_BOM_glued_to_the_V1_line_is_refused_because_the_app_does_not_see_the_key()
    {
        var env = dir.Combine(".env");
        File.WriteAllBytes(env, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes($"ROBODJ_SECRET_KEY={FernetKey.Generate().Text}\nROBODJ_ENV=x\n")]);
        var e = Assert.Throws<DotEnvSyntaxException>(() => DotEnvFile.Load(env));
        Assert.Contains(":1: the file starts with a UTF-8 byte-order mark", e.Message);
        Assert.Contains("the app does not see ROBODJ_SECRET_KEY", e.Message);

        File.WriteAllBytes(env, [0xEF, 0xBB, 0xBF, .. "# a comment first\nROBODJ_ENV=x\n"u8]);
        Assert.Equal("x", DotEnvFile.Load(env)["ROBODJ_ENV"]);
    }

    [Fact]
    public void An_800000_line_env_is_read_in_linear_time()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 800_000; i++) text.Append("K").Append(i).Append("=1\n");
        var watch = Stopwatch.StartNew();
        var file = DotEnvFile.Parse(text.ToString(), "big.env");
        Assert.Equal(800_000, file.Entries.Count);
        Assert.Equal(800_000, file.Entries[^1].Line);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Config_json_70_levels_deep_is_read_and_past_the_limit_is_refused_with_its_line()
    {
        var tree = new ConfigTreeBuilder(dir.Combine("config"));
        tree.Raw("deep.json", new string('[', 70) + new string(']', 70));
        Assert.Equal(0, Census.Take(tree.Scope, new KeyRing(FernetKey.Generate()), cancellationToken: TestContext.Current.CancellationToken).Total);

        tree.Raw("deep.json", "{\n\"a\":\n" + new string('[', InputLimits.ConfigJsonDepth + 1) + new string(']', InputLimits.ConfigJsonDepth + 1) + "}");
        var e = Assert.Throws<ConfigJsonException>(() => Census.Take(tree.Scope, new KeyRing(FernetKey.Generate()), cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains($"deep.json:3: column {InputLimits.ConfigJsonDepth}: the JSON nests deeper than {InputLimits.ConfigJsonDepth} levels", e.Message);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(1 << 20)]
    public void A_config_string_with_an_invalid_utf8_byte_is_refused_at_its_line_and_column(int chunkSize)
    {
        var json = Encoding.UTF8.GetBytes("{\n  \"station\": \"Night shift\",\n  \"note\": \"caf").Concat(new byte[] { 0xC3, 0x28 }).Concat("\"\n}\n"u8.ToArray()).ToArray();
        var e = Assert.Throws<ConfigJsonException>(() => EncryptedFieldScanner.Scan(new MemoryStream(json), "settings.json", _ => { }, chunkSize, TestContext.Current.CancellationToken));
        Assert.Contains("settings.json:3: column 15: a byte that is not UTF-8", e.Message);
    }

    [Fact]
    public void A_json_error_deep_in_a_big_file_names_its_line_in_the_whole_file()
    {
        var lines = Enumerable.Range(0, 5000).Select(i => $"  \"k{i}\": \"value number {i}\",").ToList();
        var json = "{\n" + string.Join("\n", lines) + "\n  \"last\": oops\n}\n";
        var e = Assert.Throws<ConfigJsonException>(() => EncryptedFieldScanner.Scan(new MemoryStream(Encoding.UTF8.GetBytes(json)), "big.json", _ => { }, 64, TestContext.Current.CancellationToken));
        Assert.Contains("big.json:5002: it is not valid JSON", e.Message);
    }

    [Fact]
    public void A_journal_that_is_a_fifo_is_refused_without_waiting()
    {
        var journal = Directory.CreateDirectory(dir.Combine("key_rotation", "20260101T000000Z-abcd")).FullName;
        HostileFiles.Fifo(Path.Combine(journal, RotationJournal.FileName));
        var e = Assert.Throws<InputFileException>(() => RotationJournal.Open(journal));
        Assert.Contains("is a named pipe", e.Message);
    }

    [Theory]
    [InlineData("hosts:\n- name: a\n- : b\n", 3)]
    [InlineData("hosts:\n  - name: a\n    root: [\n", 4)]
    public void A_fleet_file_with_broken_yaml_names_the_file_and_the_line(string yaml, int line)
    {
        var path = dir.Combine("fleet.yaml");
        File.WriteAllText(path, yaml);
        var e = Assert.Throws<FleetFileException>(() => FleetFile.Load(path));
        Assert.Equal(line, e.Line);
        Assert.StartsWith($"{path}:{line}: not valid YAML", e.Message);
    }

    public void Dispose() => dir.Dispose();
}
