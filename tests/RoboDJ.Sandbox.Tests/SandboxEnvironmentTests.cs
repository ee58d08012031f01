using RoboDJ.Sandbox.App;

namespace RoboDJ.Sandbox.Tests;

public sealed class SandboxEnvironmentTests
{
    static readonly Dictionary<string, string> DotEnv = new() { ["A"] = "from-dotenv", ["B"] = "from-dotenv" };

    [Fact]
    public void A_variable_set_in_the_process_wins_over_dotenv_even_when_empty()
    {
        var process = new Dictionary<string, string> { ["A"] = "from-process", ["B"] = "" };
        var env = new SandboxEnvironment(DotEnv, name => process.GetValueOrDefault(name));

        Assert.Equal("from-process", env.Get("A"));
        Assert.Equal("", env.Get("B"));
    }

    [Fact]
    public void Dotenv_fills_in_what_the_process_does_not_set()
    {
        var env = new SandboxEnvironment(DotEnv, _ => null);

        Assert.Equal("from-dotenv", env.Get("A"));
        Assert.Null(env.Get("C"));
    }
}
