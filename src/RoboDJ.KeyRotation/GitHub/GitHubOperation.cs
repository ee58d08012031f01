namespace RoboDJ.KeyRotation.GitHub;

/// <summary>
/// One GitHub call as the operator would describe it, with what it needs: the basis of every error message.
/// </summary>
/// <param name="Action">e.g. "write secret ROBODJ_SECRET_KEY of environment 'production' of acme/robodj".</param>
/// <param name="Permission">The fine-grained permission it needs, e.g. "secrets: write" or "issues: write".</param>
/// <param name="NotFound">What a 404 means here, naming the thing, e.g. "environment 'production' of acme/robodj".</param>
public sealed record GitHubOperation(string Action, string Permission, string NotFound);
