using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Config;

/// <summary>The scope's walk: every path beneath the root, links followed only where the rules (or the snapshot) allow.</summary>
public sealed class DeploymentScopeBeneathTheRootTests : IDisposable
{
    readonly TempDir dir = new();
    readonly string root;
    readonly string outside;

    public DeploymentScopeBeneathTheRootTests()
    {
        root = Directory.CreateDirectory(dir.Combine("deployment")).FullName;
        outside = Directory.CreateDirectory(dir.Combine("outside")).FullName;
        Write(".env", "ROBODJ_ENV=x\n");
        Write("config/settings.json", "{}");
        Write("config/integrations/services.json", "{}");
        File.WriteAllText(Path.Combine(outside, "secret.json"), "{}");
    }

    void Write(string relative, string text)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    DeploymentScope Scope(params string[] allowed) => new(new DeploymentPaths(root), null, allowed);

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    public void A_folder_link_to_an_ancestor_is_refused_as_a_loop_naming_its_path(string target)
    {
        HostileFiles.Link(Path.Combine(root, "config", "loop"), target);
        var e = Assert.Throws<ScopePathException>(() => Scope().Files());
        Assert.Contains("config/loop is a link to", e.Message);
        Assert.Contains("(a link loop)", e.Message);
    }

    [Fact]
    public void A_loop_is_seen_when_the_root_itself_is_reached_through_a_link()
    {
        var via = dir.Combine("via");
        HostileFiles.Link(via, root);
        HostileFiles.Link(Path.Combine(root, "config", "loop"), "..");
        var e = Assert.Throws<ScopePathException>(() => new DeploymentScope(new DeploymentPaths(via)).Files());
        Assert.Contains("(a link loop)", e.Message);
    }

    [Fact]
    public void A_link_into_key_rotation_is_refused_whatever_it_is_called()
    {
        Write("key_rotation/r/snapshot/files/config/settings.json", "{}");
        HostileFiles.Link(Path.Combine(root, "config", "backups"), Path.Combine(root, "key_rotation"));
        var e = Assert.Throws<ScopePathException>(() => Scope().Files());
        Assert.Contains("inside the pipeline's own folders", e.Message);
    }

    [Fact]
    public void A_link_out_of_the_root_is_refused_unless_allowed_by_name()
    {
        HostileFiles.Link(Path.Combine(root, "config", "settings.json"), Path.Combine(outside, "secret.json"));
        var e = Assert.Throws<ScopePathException>(() => Scope().Files());
        Assert.Contains($"config/settings.json is a symbolic link to {Path.Combine(outside, "secret.json")}, outside the deployment root", e.Message);
        Assert.Contains("--allow-link-targets", e.Message);

        var allowed = Scope(outside).Walk();
        Assert.Contains(allowed.Files, f => f.Relative == "config/settings.json" && f.Path == Path.Combine(outside, "secret.json"));
        Assert.Contains(new ScopeLink("config/settings.json", Path.Combine(outside, "secret.json")), allowed.Links);
    }

    [Fact]
    public void A_fifo_named_json_under_config_is_refused_and_other_special_files_are_left_alone()
    {
        HostileFiles.Fifo(Path.Combine(root, "config", "notes.fifo"));
        Assert.Equal(3, Scope().Files().Count);
        HostileFiles.Fifo(Path.Combine(root, "config", "pipe.json"));
        Assert.Contains("config/pipe.json is a named pipe", Assert.Throws<ScopePathException>(() => Scope().Files()).Message);
    }

    [Fact]
    public void A_file_reached_twice_through_a_link_is_in_the_scope_once_by_its_own_path()
    {
        HostileFiles.Link(Path.Combine(root, "config", "alias.json"), "integrations/services.json");
        Assert.Equal([".env", "config/integrations/services.json", "config/settings.json"], Scope().Files().Select(f => f.Relative));
    }

    [Fact]
    public void Pinned_to_a_snapshot_a_link_that_appeared_since_is_refused_for_reads_and_writes()
    {
        var pinned = Scope().PinnedTo(Scope().Walk().Links);
        HostileFiles.Link(Path.Combine(root, "config", "integrations"), outside);
        Assert.Contains("which the snapshot did not record", Assert.Throws<ScopePathException>(() => pinned.Files()).Message);
        Assert.Contains("which the snapshot did not record", Assert.Throws<ScopePathException>(() => pinned.Locate("config/integrations/services.json")).Message);
        Assert.Equal(Path.Combine(root, "config", "settings.json"), pinned.Locate("config/settings.json"));
        Assert.False(File.Exists(Path.Combine(outside, "services.json")));
    }

    [Fact]
    public void A_recorded_link_is_followed_to_the_same_target_and_a_retargeted_one_is_refused()
    {
        File.Move(Path.Combine(root, ".env"), Path.Combine(root, "real.env"));
        HostileFiles.Link(Path.Combine(root, ".env"), "real.env");
        var pinned = Scope().PinnedTo(Scope().Walk().Links);
        Assert.Equal(Path.Combine(root, "real.env"), pinned.Locate(".env"));
        File.WriteAllText(Path.Combine(root, "other.env"), "");
        HostileFiles.Link(Path.Combine(root, ".env"), "other.env");
        Assert.Contains("but the snapshot recorded it pointing at", Assert.Throws<ScopePathException>(() => pinned.Locate(".env")).Message);
    }

    public void Dispose() => dir.Dispose();
}
