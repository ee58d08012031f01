using RoboDJ.KeyRotation.GitHub;
using RoboDJ.Pipeline;

namespace RoboDJ.KeyRotation.Announcements;

/// <summary>--announce-channels: only the channels there are, so a misspelt one is bad input before anything is announced.</summary>
public sealed class AnnouncementChannelNames : IParameterCheck
{
    public IReadOnlyList<string> ValidValues => GitHubIntegration.KnownChannels;
}
