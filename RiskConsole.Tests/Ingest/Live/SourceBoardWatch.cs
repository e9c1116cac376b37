using RiskConsole.Ingest;

namespace RiskConsole.Tests.Ingest.Live;

/// <summary>Awaits a source's mode on the board: at once if it is already there, else when the board reports it.</summary>
internal static class SourceBoardWatch
{
    public static Task WaitForModeAsync(this SourceStatusBoard board, string source, string mode)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChange(SourceModeChange change)
        {
            if (change.Source == source && change.To == mode)
            {
                reached.TrySetResult();
            }
        }

        board.ModeChanged += OnChange;
        if (board.Get(source)?.Mode == mode)
        {
            reached.TrySetResult();
        }

        return Wait();

        async Task Wait()
        {
            try
            {
                await reached.Task.WaitAsync(IngestTestClock.WaitLimit);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"{source} did not reach {mode} within {IngestTestClock.WaitLimit}; it is {board.Get(source)?.Mode}: {board.Get(source)?.Detail}");
            }
            finally
            {
                board.ModeChanged -= OnChange;
            }
        }
    }
}
