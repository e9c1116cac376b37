using System.Net;
using System.Net.Sockets;

namespace RiskConsole.Tests.Server.Infrastructure;

/// <summary>
/// A loopback TCP forwarder that a test can use to cut every open connection (a network drop) and to hold
/// new ones until it resumes, so "messages sent while the client was away" is a controlled situation.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(TcpClient Client, TcpClient Upstream)> _open = [];
    private readonly Lock _gate = new();
    private TaskCompletionSource _resumed = NewResumed(completed: true);
    private readonly Task _accepting;

    public TcpProxy(Uri target)
    {
        _target = new IPEndPoint(IPAddress.Parse(target.Host), target.Port);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    public int Accepted { get; private set; }

    /// <summary>Resets every forwarded connection and holds new ones until <see cref="Resume"/>.</summary>
    public void DropAndHold()
    {
        lock (_gate)
        {
            _resumed = NewResumed(completed: false);
            foreach (var (client, upstream) in _open)
            {
                // Linger 0 makes Close send a reset: both ends see the connection die, as in a network drop.
                foreach (var end in new[] { client, upstream })
                {
                    if (end.Client is { } socket)
                    {
                        socket.LingerState = new LingerOption(true, 0);
                    }

                    end.Close();
                }
            }

            _open.Clear();
        }
    }

    public void Resume()
    {
        lock (_gate)
        {
            _resumed.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Resume();
        DropAndHold();
        Resume();
        await _accepting;
        _stop.Dispose();
    }

    private static TaskCompletionSource NewResumed(bool completed)
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            source.SetResult();
        }

        return source;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            Accepted++;
            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        Task resumed;
        lock (_gate)
        {
            resumed = _resumed.Task;
        }

        await resumed;
        var upstream = new TcpClient();
        try
        {
            await upstream.ConnectAsync(_target, _stop.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            client.Dispose();
            upstream.Dispose();
            return;
        }

        lock (_gate)
        {
            _open.Add((client, upstream));
        }

        await Task.WhenAny(Pump(client, upstream), Pump(upstream, client));
        lock (_gate)
        {
            _open.Remove((client, upstream));
        }

        client.Dispose();
        upstream.Dispose();
    }

    private async Task Pump(TcpClient from, TcpClient to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.GetStream().ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    return;
                }

                await to.GetStream().WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or SocketException or InvalidOperationException)
        {
            // The other side was cut (that is what this proxy is for); the connection just ends.
            return;
        }
    }
}
