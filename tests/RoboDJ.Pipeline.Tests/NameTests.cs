using RoboDJ.Pipeline.Internal;
using RoboDJ.Pipeline.Tests.Support;

namespace RoboDJ.Pipeline.Tests;

public class NameTests
{
    [Theory]
    [InlineData("GitHubRepository", "github-repository")]
    [InlineData("GitHubEnvironment", "github-environment")]
    [InlineData("DashboardUrl", "dashboard-url")]
    [InlineData("VerifyTimeout", "verify-timeout")]
    public void Kebab_keeps_a_brand_in_one_word(string member, string kebab) => Assert.Equal(kebab, Names.Kebab(member));

    [Fact]
    public void An_environment_name_carries_the_prefix_so_no_actions_variable_is_picked_up_by_accident()
    {
        using var h = new Harness();
        h.WithEnvironment("GITHUB_REPOSITORY", "someone/else");
        GitHubBuild.Last = null;
        Assert.Equal(0, h.Run<GitHubBuild>("Show").ExitCode);
        Assert.Null(GitHubBuild.Last!.GitHubRepository);

        h.WithEnvironment("ROTATION_GITHUB_REPOSITORY", "acme/robodj");
        Assert.Equal(0, h.Run<GitHubBuild>("Show").ExitCode);
        Assert.Equal("acme/robodj", GitHubBuild.Last!.GitHubRepository);
    }

    [Fact]
    public void Help_shows_github_and_both_spellings_bind()
    {
        using var h = new Harness();
        var help = h.Run<GitHubBuild>("--help").Output;
        Assert.Contains("--github-repository", help);
        Assert.DoesNotContain("--git-hub-repository", help);

        foreach (var option in new[] { "--github-repository", "--git-hub-repository" })
        {
            GitHubBuild.Last = null;
            Assert.Equal(0, h.Run<GitHubBuild>("Show", option, "acme/robodj").ExitCode);
            Assert.Equal("acme/robodj", GitHubBuild.Last!.GitHubRepository);
        }
    }
}
