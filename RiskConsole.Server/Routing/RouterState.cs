namespace RiskConsole.Server.Routing;

/// <summary>Whether the event router is running, for status and health without a dependency on the hosted service itself.</summary>
public sealed class RouterState
{
    private int _running;

    public bool IsRunning => Volatile.Read(ref _running) == 1;

    public void Set(bool running) => Volatile.Write(ref _running, running ? 1 : 0);
}
