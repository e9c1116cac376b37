using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using RiskConsole.Server.Configuration;
using RiskConsole.Tests.Ingest.Binance;
using RiskConsole.Tests.Server.Replay;

namespace RiskConsole.Tests.Server.Configuration;

/// <summary>
/// The published server as a real process: bad configuration stops it before it listens, with exit code 1
/// and one line naming the key and the rule; good configuration (including the seed's PORT and a .env file)
/// starts it.
/// </summary>
[Category(TestCategories.EndToEnd)]
public sealed class ServerProcessTests
{
    private string _workingDirectory = null!;

    [SetUp]
    public void CreateWorkingDirectory()
    {
        _workingDirectory = Path.Combine(Path.GetTempPath(), "riskconsole-process-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_workingDirectory);
    }

    [TearDown]
    public void DeleteWorkingDirectory() => Directory.Delete(_workingDirectory, recursive: true);

    [TestCase("RISK_THRESHOLD", "abc", "Risk:Threshold")]
    [TestCase("RISK_THRESHOLD", "150", "Risk:Threshold must be between 0 and 100")]
    [TestCase("CRYPTO_MA_WINDOW", "0", "Risk:CryptoWindow must be between 2 and 100000")]
    [TestCase("PORT", "70000", "Server:Port (PORT) must be between 0 and 65535")]
    [TestCase("Ingest__Mode", "sometimes", "Ingest:Mode must be one of auto, live, mock")]
    [TestCase("Risk__PublishIntervalMs", "1", "Risk:PublishIntervalMs must be between 10 and 60000")]
    [TestCase("HOST", "not a host!", "Server:Host (HOST) must be an IP address, localhost, * or +, or a DNS host name (was 'not a host!')")]
    [TestCase("HOST", "http://0.0.0.0", "Server:Host (HOST) must be")]
    [TestCase("Server__KnownProxies__0", "nginx", "Server:KnownProxies entries must be IP addresses or CIDR networks")]
    [TestCase("Serilog__MinimumLevel__Default", "Loud", "Serilog:MinimumLevel:Default must be one of Verbose, Debug, Information, Warning, Error, Fatal")]
    [TestCase("Serilog__MinimumLevel", "Loud", "Serilog:MinimumLevel must be one of")]
    [TestCase("Serilog__MinimumLevel__Override__Microsoft.AspNetCore", "Loud", "Serilog:MinimumLevel:Override:Microsoft.AspNetCore must be one of")]
    [TestCase("Serilog__WriteTo__0__Args__path", "x", "Serilog: The configuration value in Serilog:WriteTo:0:Name")]
    [TestCase("Telemetry__OtlpProtocol", "udp", "Telemetry:OtlpProtocol must be one of grpc, http/protobuf")]
    [TestCase("Telemetry__PrometheusEnabled", "sometimes", "Telemetry:PrometheusEnabled")]
    [TestCase("Telemetry__LogBudget__Burst", "0", "Telemetry:LogBudget:Burst must be between 1 and 100000")]
    public async Task InvalidConfigurationExitsWithOneLineNamingTheKey(string variable, string value, string expected)
    {
        var (exitCode, stdout, stderr) = await RunToExitAsync(new Dictionary<string, string> { [variable] = value });
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(lines, Has.Length.EqualTo(1), $"stderr: {stderr}");
            Assert.That(lines[0], Does.StartWith("Configuration error:").And.Contain(expected));
            Assert.That(stdout + stderr, Does.Not.Contain("   at "), "no stack trace");
        });
    }

    [Test]
    public async Task AShortAdminKeyStopsTheServerWithOneLineThatDoesNotShowIt()
    {
        var (exitCode, stdout, stderr) = await RunToExitAsync(new Dictionary<string, string> { ["Server__AdminKey"] = "hunter2-admin" });
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(lines, Has.Length.EqualTo(1), $"stderr: {stderr}");
            Assert.That(lines[0], Does.StartWith("Configuration error: Server:AdminKey must be at least 16 characters"));
            Assert.That(stdout + stderr, Does.Not.Contain("hunter2-admin"));
        });
    }

    [Test]
    public async Task AnAudioCacheFolderThatCannotBeCreatedStopsTheServer()
    {
        // A regular file where a parent folder should be: not even root can create the folder (the tests may run as root).
        var blocker = Path.Combine(_workingDirectory, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "a file");
        var (exitCode, stdout, stderr) = await RunToExitAsync(new Dictionary<string, string> { ["Ai__AudioCache__Directory"] = Path.Combine(blocker, "audio") });
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(lines, Has.Length.EqualTo(1), $"stderr: {stderr}");
            Assert.That(lines[0], Does.StartWith("Configuration error: Ai:AudioCache:Directory").And.Contain(Path.Combine(blocker, "audio")));
            Assert.That(stdout + stderr, Does.Not.Contain("   at "), "no stack trace");
        });
    }

    [Test]
    public async Task ADotEnvFileInTheWorkingDirectoryIsRead()
    {
        await File.WriteAllTextAsync(Path.Combine(_workingDirectory, ".env"), "# seed settings\nRISK_THRESHOLD=101\n");
        var (exitCode, _, stderr) = await RunToExitAsync([]);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(stderr, Does.Contain("Risk:Threshold must be between 0 and 100 (was 101)"));
        });
    }

    [Test]
    public async Task TheSeedsHostAndPortChooseTheListenAddress()
    {
        var port = ServerProcess.FreePort();
        using var process = Start(new Dictionary<string, string> { ["HOST"] = "127.0.0.1", ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        try
        {
            var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data?.Contains("Now listening on", StringComparison.Ordinal) == true)
                {
                    listening.TrySetResult(e.Data);
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var line = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            using var http = new HttpClient();
            using var live = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health/live"));
            Assert.Multiple(() =>
            {
                Assert.That(line, Does.Contain($"http://127.0.0.1:{port}"));
                Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            });
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Test]
    public async Task ProbeRoastPrintsARoastAndSaysWhyItIsOffline()
    {
        var (exitCode, stdout, _) = await RunToExitAsync([], "probe", "roast");
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1), "1 = fell back to the offline writer");
            Assert.That(stdout, Does.Contain("roast from offline (no Ai:OpenAI:ApiKey / OPENAI_API_KEY configured):"));
            Assert.That(stdout, Does.Contain("87/100"), "the roast talks about the sample context (the template is drawn at random)");
            Assert.That(stdout, Does.Not.Contain("Now listening"), "a probe starts no server");
        });
    }

    [Test]
    public async Task ProbeVoiceWithoutAKeySaysThereIsNoAudioAndAMistypedProbeShowsUsage()
    {
        var voice = await RunToExitAsync([], "probe", "voice", "hello");
        var usage = await RunToExitAsync([], "probe", "sing");
        Assert.Multiple(() =>
        {
            Assert.That(voice.ExitCode, Is.EqualTo(1));
            Assert.That(voice.Stdout, Does.Contain("makes no audio"));
            Assert.That(usage.ExitCode, Is.EqualTo(2));
            Assert.That(usage.Stdout, Does.Contain("usage: dotnet run --project RiskConsole.Server -- probe roast"));
        });
    }

    [Test]
    public async Task ProbeBinancePrintsTheTradesOfTheConfiguredStreamAndExitsZero()
    {
        await using var binance = await FakeBinanceServer.StartAsync();
        binance.StartTrades(TimeSpan.FromMilliseconds(50), "BTCUSDT");

        var (exitCode, stdout, _) = await RunToExitAsync(
            new Dictionary<string, string>
            {
                ["Ingest__Binance__StreamUrl"] = binance.StreamUrl,
                ["Ingest__Binance__RestUrl"] = binance.RestUrl,
                ["Ingest__Binance__Symbols__0"] = "BTCUSDT",
            },
            "probe", "binance", "--seconds", "3");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, stdout);
            Assert.That(lines, Has.Some.StartsWith($"probing crypto at {binance.StreamUrl}"));
            Assert.That(lines, Has.Some.StartsWith("connected: "));
            Assert.That(lines, Has.Some.StartsWith("price BTCUSDT "));
            Assert.That(lines[^1], Does.StartWith("OK: live data from crypto: "));
            Assert.That(stdout, Does.Not.Contain("Now listening"), "a probe starts no server");
        });
    }

    [Test]
    public async Task ProbeRedditSaysExactlyWhyItCannotConnectAndExitsOne()
    {
        // A port that was free a moment ago: nothing listens there.
        var port = ServerProcess.FreePort();

        var (exitCode, stdout, _) = await RunToExitAsync(
            new Dictionary<string, string> { ["Ingest__Reddit__BaseUrl"] = $"http://127.0.0.1:{port}" },
            "probe", "reddit", "--seconds", "5");
        var last = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1), stdout);
            Assert.That(last, Does.StartWith("FAILED: "));
            Assert.That(last, Does.Contain("refused").IgnoreCase);
        });
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> RunToExitAsync(Dictionary<string, string> environment, params string[] arguments) =>
        ServerProcess.RunToExitAsync(_workingDirectory, environment, arguments);

    private Process Start(Dictionary<string, string> environment, params string[] arguments) =>
        Process.Start(ServerProcess.StartInfo(_workingDirectory, environment, arguments)) ?? throw new InvalidOperationException("could not start the server process");
}
