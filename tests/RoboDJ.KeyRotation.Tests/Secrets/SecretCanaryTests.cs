using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Tests.Config;
using RoboDJ.Testing;
using Serilog;

namespace RoboDJ.KeyRotation.Tests.Secrets;

/// <summary>
/// Plants canary keys, runs the store, the census and the rewrap with Serilog at Verbose (unredacted capture) and provokes
/// each error; no form of a canary may appear in logs, console, exception messages or any file written other than the .env.
/// </summary>
public sealed class SecretCanaryTests : IDisposable
{
    readonly TempDir dir = new("robodj-canary");
    readonly CapturingSink sink = new();
    readonly StringWriter console = new();
    readonly TextWriter originalOut = Console.Out, originalError = Console.Error;
    readonly List<string> errors = [];

    public SecretCanaryTests()
    {
        Log.Logger = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(sink).CreateLogger();
        Console.SetOut(console);
        Console.SetError(console);
    }

    public void Dispose()
    {
        Console.SetOut(originalOut);
        Console.SetError(originalError);
        Log.CloseAndFlush();
        dir.Dispose();
    }

    async Task Expect<T>(Func<Task> action) where T : Exception
    {
        var e = await Assert.ThrowsAsync<T>(action);
        errors.Add(e.Message);
        errors.Add(e.ToString());
    }

    [Fact]
    public async Task No_form_of_a_canary_key_leaves_the_env_file()
    {
        var ct = TestContext.Current.CancellationToken;
        var v1 = FernetKey.Generate();
        var v2 = FernetKey.Generate();
        var next = FernetKey.Generate();
        var malformedCanary = FernetKey.Generate().Text[..^1];
        string[] canaries = [v1.Text, v2.Text, next.Text, malformedCanary];

        var deployment = dir.Combine("deployment");
        var config = new ConfigTreeBuilder(Path.Combine(deployment, "config"))
            .Stations("stations.json", v1, v2, FernetKey.Generate())
            .Stations("nested/more.json", v2);
        var envPath = new DotEnvBuilder().Lines("ROBODJ_ENV=staging", $"ROBODJ_SECRET_KEY={v1.Text}", $"ROBODJ_SECRET_V2_KEY='{v2.Text}'")
            .WriteTo(Path.Combine(deployment, ".env"));

        // The happy path, as Preflight, dry run and Rotate call it.
        var store = new DotEnvSecretStore(envPath);
        var slots = await store.ReadAsync(ct);
        await store.CheckWritableAsync(ct);
        var description = store.DescribeWrite(new KeySlots(next, slots.Primary));
        var census = Census.Take(config.Scope, new KeyRing(slots.Primary!, slots.Secondary!), cancellationToken: TestContext.Current.CancellationToken);
        Log.Information("{Census}", census.Summary);
        Log.Verbose("{@Examples}", census.Examples);
        await store.WriteAsync(new KeySlots(next, slots.Primary), ct);
        var rewrap = Rewrap.Run(config.Scope, new KeyRing(next, v1));
        Log.Information("{Rewrap}", rewrap.Summary);

        // Every error a bad input causes.
        await Expect<UndecryptableFieldException>(() => Task.Run(() => Census.Take(config.Scope, new KeyRing(next, v1), cancellationToken: TestContext.Current.CancellationToken).ThrowIfUndecryptable(), ct));
        var brokenTree = new ConfigTreeBuilder(Path.Combine(dir.Combine("broken"), "config")).Raw("broken.json", $"{{\n  \"key\": {v1.Text}\n}}");
        await Expect<ConfigJsonException>(() => Task.Run(() => Census.Take(brokenTree.Scope, new KeyRing(next), cancellationToken: TestContext.Current.CancellationToken), ct));
        var malformed = new DotEnvBuilder().Lines($"ROBODJ_SECRET_KEY={malformedCanary}").WriteTo(dir.Combine("malformed.env"));
        await Expect<MalformedKeyException>(() => new DotEnvSecretStore(malformed).ReadAsync(ct));
        var unparseable = new DotEnvBuilder().Lines($"ROBODJ_SECRET_KEY='{v2.Text}", "X=1").WriteTo(dir.Combine("unparseable.env"));
        // python-dotenv skips the unclosed line with a warning, so the app would not see the key: refused, naming only the line.
        await Expect<DotEnvSyntaxException>(() => new DotEnvSecretStore(unparseable).ReadAsync(ct));
        errors.AddRange(DotEnvFile.Load(unparseable).Warnings.Select(w => w.ToString()));
        await Expect<MissingKeyException>(() => store.WriteAsync(new KeySlots(next, null), ct));

        Assert.True(sink.Count >= 4, "the helpers logged too little for this test to mean anything");
        Canary.AssertAbsent(sink.Text, canaries, "the Serilog events");
        Canary.AssertAbsent(console.ToString(), canaries, "the console");
        Canary.AssertAbsent(string.Join("\n", errors), canaries, "an exception message");
        Canary.AssertAbsent(description + census.Summary + rewrap.Summary + string.Join("\n", census.Examples), canaries, "a report");
        Canary.AssertAbsentFromTree(deployment, canaries, ".env");
        Assert.Contains(next.Text, File.ReadAllText(envPath));
    }
}
