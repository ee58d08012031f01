using RoboDJ.Pipeline;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>
/// Every problem a Preflight finds, each check run even after an earlier one failed, so one run names them all. A check
/// that throws adds its (redacted) message and yields the default; cancellation still stops the run. A problem two
/// checks meet (a link loop the walk of each finds) is listed once.
/// </summary>
public sealed class PreflightProblems : List<string>
{
    public T? Check<T>(Func<T> check)
    {
        try { return check(); }
        catch (Exception e) when (e is not OperationCanceledException) { AddOnce(SecretRedactor.Redact(e.Message)); return default; }
    }

    void AddOnce(string problem)
    {
        if (!Contains(problem)) Add(problem);
    }

    public void Check(Action check) => Check(() => { check(); return true; });

    public async Task<T?> CheckAsync<T>(Func<Task<T>> check)
    {
        try { return await check(); }
        catch (Exception e) when (e is not OperationCanceledException) { AddOnce(SecretRedactor.Redact(e.Message)); return default; }
    }

    public async Task CheckAsync(Func<Task> check) => await CheckAsync(async () => { await check(); return true; });
}
