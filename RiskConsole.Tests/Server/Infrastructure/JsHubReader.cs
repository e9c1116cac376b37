using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace RiskConsole.Tests.Server.Infrastructure;

/// <summary>
/// RiskConsole.Tests/JsClient/hub-reader.js run by Node as a child process: the official SignalR JavaScript client
/// (JSON or MessagePack) reading the hub, one JSON line per thing it read. The test awaits lines by kind and the exit,
/// each with a timeout; a process that outlives its test is killed.
/// </summary>
public sealed class JsHubReader : IAsyncDisposable
{
    public const string InstallCommand = "cd RiskConsole.Tests/JsClient && npm ci";

    private readonly Process _process;
    private readonly Dictionary<string, TaskCompletionSource<JsonElement>> _lines = new(StringComparer.Ordinal);
    private readonly StringBuilder _stderr = new();
    private readonly Lock _lock = new();

    private JsHubReader(Process process, string protocol)
    {
        _process = process;
        Protocol = protocol;
    }

    public string Protocol { get; }

    /// <summary>The folder with package.json and hub-reader.js, found above the test output folder.</summary>
    public static string ClientDirectory
    {
        get
        {
            var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "RiskConsole.sln")))
            {
                directory = directory.Parent;
            }

            return Path.Combine(directory?.FullName ?? throw new DirectoryNotFoundException("RiskConsole.sln not found above the test directory"),
                "RiskConsole.Tests", "JsClient");
        }
    }

    /// <summary>Ignores the test (fails it under RISKCONSOLE_REQUIRE_TOOLS=1) when Node or the npm packages are missing.</summary>
    public static string RequireNode()
    {
        var node = RequiredTools.FindOnPath("node");
        RequiredTools.Ensure(node is not null, "Node.js (node, version 20 or later) is not on PATH", "apt-get install nodejs, then " + InstallCommand);
        var modules = Path.Combine(ClientDirectory, "node_modules", "@microsoft");
        RequiredTools.Ensure(
            Directory.Exists(Path.Combine(modules, "signalr")) && Directory.Exists(Path.Combine(modules, "signalr-protocol-msgpack")),
            "The SignalR JavaScript client packages are not installed in RiskConsole.Tests/JsClient/node_modules",
            InstallCommand);
        return node!;
    }

    public static JsHubReader Start(string node, Uri hubUrl, string protocol, string? marker = null)
    {
        var start = new ProcessStartInfo(node)
        {
            WorkingDirectory = ClientDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("hub-reader.js");
        start.ArgumentList.Add(hubUrl.ToString());
        start.ArgumentList.Add(protocol);
        if (marker is not null)
        {
            start.ArgumentList.Add(marker);
        }

        var process = new Process { StartInfo = start };
        var reader = new JsHubReader(process, protocol);
        process.OutputDataReceived += (_, e) => reader.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (reader._lock)
                {
                    reader._stderr.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return reader;
    }

    /// <summary>The payload of the first line of <paramref name="kind"/> (the whole line for "ready" and "timeout").</summary>
    public async Task<JsonElement> Line(string kind, TimeSpan timeout)
    {
        try
        {
            return await Slot(kind).Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Protocol}: no \"{kind}\" line within {timeout.TotalSeconds} s (exited: {_process.HasExited}). stderr: {Stderr}");
        }
    }

    public async Task<int> ExitCode(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Protocol}: node did not exit within {timeout.TotalSeconds} s. stderr: {Stderr}");
        }

        return _process.ExitCode;
    }

    public string Stderr
    {
        get
        {
            lock (_lock)
            {
                return _stderr.ToString();
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void OnLine(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var kind = root.GetProperty("kind").GetString()!;
        var value = root.TryGetProperty("payload", out var payload) ? payload.Clone() : root.Clone();
        Slot(kind).TrySetResult(value);
    }

    private TaskCompletionSource<JsonElement> Slot(string kind)
    {
        lock (_lock)
        {
            if (!_lines.TryGetValue(kind, out var slot))
            {
                slot = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
                _lines[kind] = slot;
            }

            return slot;
        }
    }
}
