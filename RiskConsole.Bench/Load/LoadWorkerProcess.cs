using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RiskConsole.Bench.Load;

/// <summary>
/// The hidden <c>load-worker --url U --first I --count C</c> command: a <see cref="LoadClientGroup"/> in its own process,
/// so the server's process holds only the server. It talks to the harness in JSON lines: it writes
/// <c>connected</c> once its clients are open, <c>progress</c> every second, and <c>summary</c> after the harness sends
/// <c>final [last injected ticks per key]</c>; <c>go</c> starts measuring, <c>exit</c> (or end of input) ends it.
/// </summary>
public static class LoadWorkerProcess
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextReader input, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var (url, first, count, batches, messagePack) = ((Uri?)null, 0, 0, true, false);
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            _ = args[i] switch
            {
                "--url" => Uri.TryCreate(args[i + 1], UriKind.Absolute, out url),
                "--first" => int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out first),
                "--count" => int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out count),
                "--data" => LoadOptions.TryParseDataMode(args[i + 1], out batches),
                "--protocol" => LoadOptions.TryParseProtocol(args[i + 1], out messagePack),
                _ => false,
            };
        }

        if (url is null || count <= 0)
        {
            await Console.Error.WriteLineAsync("load-worker --url U --first I --count C (started by `load`, not by hand)");
            return 2;
        }

        var writeLock = new SemaphoreSlim(1, 1);
        async Task WriteAsync(LoadWorkerMessage message)
        {
            await writeLock.WaitAsync();
            try
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(message, LoadJsonContext.Default.LoadWorkerMessage));
                await output.FlushAsync();
            }
            finally
            {
                writeLock.Release();
            }
        }

        await using var group = new LoadClientGroup(url, first, count, batches, messagePack);
        await group.ConnectAsync();
        await WriteAsync(new LoadWorkerMessage("connected", group.Progress(), null));

        using var stop = new CancellationTokenSource();
        var progress = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
            {
                await WriteAsync(new LoadWorkerMessage("progress", group.Progress(), null)).ConfigureAwait(false);
            }
        });

        while (await input.ReadLineAsync() is { } line)
        {
            if (line == "go")
            {
                group.BeginMeasuring();
            }
            else if (line.StartsWith("final ", StringComparison.Ordinal))
            {
                var final = JsonSerializer.Deserialize(line["final ".Length..], LoadJsonContext.Default.FinalValues)!;
                var summary = await group.FinishAsync(final.LastInjectedTicks, TimeSpan.FromSeconds(final.DrainSeconds));
                await WriteAsync(new LoadWorkerMessage("summary", summary.AtEnd, summary));
            }
            else if (line == "exit")
            {
                break;
            }
        }

        await stop.CancelAsync();
        await progress.ContinueWith(_ => { }, TaskScheduler.Default);
        return 0;
    }
}

/// <summary>One line from a worker: <see cref="Kind"/> is connected, progress or summary.</summary>
public sealed record LoadWorkerMessage(string Kind, LoadWorkerProgress Progress, LoadWorkerSummary? Summary);

/// <summary>What the harness sends a worker when the injection has stopped.</summary>
public sealed record FinalValues(long[] LastInjectedTicks, double DrainSeconds);

/// <summary>The harness's side of one share of the clients: in a worker process, or (for tests) in this process.</summary>
public interface ILoadWorker : IAsyncDisposable
{
    /// <summary>The newest cumulative receipts it reported.</summary>
    LoadWorkerProgress Latest { get; }

    /// <summary>Completes once its clients are connected (or failed to).</summary>
    Task<LoadWorkerProgress> Connected { get; }

    Task BeginMeasuringAsync();

    Task<LoadWorkerSummary> FinishAsync(FinalValues final);
}

/// <summary>Clients in this process: what the smoke test uses, so it needs no second executable.</summary>
public sealed class InProcessLoadWorker : ILoadWorker
{
    private readonly LoadClientGroup _group;

    public InProcessLoadWorker(Uri url, int first, int count, bool dataBatches, bool messagePack)
    {
        _group = new LoadClientGroup(url, first, count, dataBatches, messagePack);
        Connected = ConnectAsync();
    }

    public LoadWorkerProgress Latest => _group.Progress();

    public Task<LoadWorkerProgress> Connected { get; }

    public Task BeginMeasuringAsync()
    {
        _group.BeginMeasuring();
        return Task.CompletedTask;
    }

    public Task<LoadWorkerSummary> FinishAsync(FinalValues final)
    {
        ArgumentNullException.ThrowIfNull(final);
        return _group.FinishAsync(final.LastInjectedTicks, TimeSpan.FromSeconds(final.DrainSeconds));
    }

    public ValueTask DisposeAsync() => _group.DisposeAsync();

    private async Task<LoadWorkerProgress> ConnectAsync()
    {
        await _group.ConnectAsync();
        return _group.Progress();
    }
}

/// <summary>A <c>load-worker</c> child process: this bench's own executable, on workstation GC (the server's GC is not the clients').</summary>
public sealed class ChildProcessLoadWorker : ILoadWorker
{
    private readonly Process _process;
    private readonly TaskCompletionSource<LoadWorkerProgress> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<LoadWorkerSummary> _summary = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LoadWorkerProgress _latest = new(0, 0, 0, 0, 0, 0);

    public ChildProcessLoadWorker(Uri url, int first, int count, bool dataBatches, bool messagePack, TextWriter progress)
    {
        ArgumentNullException.ThrowIfNull(url);
        var dll = typeof(ChildProcessLoadWorker).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, "load-worker", "--url", url.ToString(), "--first", first.ToString(CultureInfo.InvariantCulture), "--count", count.ToString(CultureInfo.InvariantCulture), "--data", dataBatches ? "batches" : "updates", "--protocol", messagePack ? "messagepack" : "json" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_gcServer"] = "0";

        // A 64 MB gen0 budget: with the default one, 1,000 clients (about 125 MB/s of SignalR client garbage) ran 7 gen0
        // and 15 gen1 collections a second and were paused 20 % of the time (dotnet-counters), and those pauses were
        // most of the measured p99. With it: 1.4 gen1 a second, 2 % paused, the workers' CPU 50 → 37 % of the machine.
        start.Environment["DOTNET_GCgen0size"] = "0x4000000";

        // The runtime polls all of a process's sockets from one thread on a machine this small (one socket engine per 32
        // cores); 1,000 clients' receives then queue behind it. One per core: at 50,000 signals/s and 1,000 clients the
        // p99 went from 130 ms to 84 ms, the same as splitting the clients over two processes (docs/performance.md).
        start.Environment["DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture);
        _process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start a load worker.");
        _process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is { Length: > 0 } text)
            {
                progress.WriteLine($"worker {first}: {text}");
            }
        };
        _process.OutputDataReceived += (_, line) => Receive(line.Data);
        _process.Exited += (_, _) =>
        {
            _connected.TrySetException(new InvalidOperationException($"load worker {first} exited with {_process.ExitCode}"));
            _summary.TrySetException(new InvalidOperationException($"load worker {first} exited with {_process.ExitCode}"));
        };
        _process.EnableRaisingEvents = true;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public LoadWorkerProgress Latest => Volatile.Read(ref _latest);

    public Task<LoadWorkerProgress> Connected => _connected.Task;

    public Task BeginMeasuringAsync() => SendAsync("go");

    public async Task<LoadWorkerSummary> FinishAsync(FinalValues final)
    {
        await SendAsync("final " + JsonSerializer.Serialize(final, LoadJsonContext.Default.FinalValues));
        return await _summary.Task;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await SendAsync("exit");
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
        catch (Exception ex) when (ex is IOException or TimeoutException or InvalidOperationException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private async Task SendAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    private void Receive(string? line)
    {
        if (string.IsNullOrEmpty(line) || line[0] != '{')
        {
            return;
        }

        var message = JsonSerializer.Deserialize(line, LoadJsonContext.Default.LoadWorkerMessage)!;
        Volatile.Write(ref _latest, message.Progress);
        switch (message.Kind)
        {
            case "connected":
                _connected.TrySetResult(message.Progress);
                break;
            case "summary" when message.Summary is { } summary:
                _summary.TrySetResult(summary);
                break;
        }
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = false)]
[JsonSerializable(typeof(LoadWorkerMessage))]
[JsonSerializable(typeof(FinalValues))]
internal sealed partial class LoadJsonContext : JsonSerializerContext;
