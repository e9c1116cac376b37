using RiskConsole.Engine.Journal;
using RiskConsole.Engine.Replay;

namespace RiskConsole.Tests.Engine.Journal;

/// <summary>The export formats round-trip: every record written as JSONL or CSV and read back (by the replay's reader) is the record it was.</summary>
public sealed class JournalFilesTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "riskconsole-export-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void JsonlRoundTrips()
    {
        var path = Path.Combine(_folder, "journal.jsonl");
        File.WriteAllLines(path, JournalSamples.Records().Select(JournalFiles.ToJsonl));
        var file = ReplayFile.Open(path);
        Assert.Multiple(() =>
        {
            Assert.That(file.Format, Is.EqualTo(ReplayFormat.JournalJsonl));
            Assert.That(file.Read().ToList(), Is.EqualTo(JournalSamples.Records()));
            Assert.That(file.BadRows, Is.Zero);
        });
    }

    [Test]
    public void CsvRoundTripsTextWithCommasQuotesAndLineBreaks()
    {
        var path = Path.Combine(_folder, "journal.csv");
        File.WriteAllLines(path, [JournalFiles.CsvHeader, .. JournalSamples.Records().Select(JournalFiles.ToCsv)]);
        var file = ReplayFile.Open(path);
        Assert.Multiple(() =>
        {
            Assert.That(file.Format, Is.EqualTo(ReplayFormat.JournalCsv));
            Assert.That(file.Read().ToList(), Is.EqualTo(JournalSamples.Records()));
            Assert.That(file.Rows, Is.EqualTo(JournalSamples.Records().Count));
        });
    }

    [Test]
    public void ABadLineInAnExportIsCountedWithItsNumberAndSkipped()
    {
        var path = Path.Combine(_folder, "journal.jsonl");
        var lines = JournalSamples.Records().Select(JournalFiles.ToJsonl).ToList();
        lines.Insert(2, "{\"signal\": {\"$type\": \"price\", \"symbol\": \"BTCUSDT\", \"price\": \"cheap\"");
        File.WriteAllLines(path, lines);
        var file = ReplayFile.Open(path);
        var records = file.Read().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(records, Is.EqualTo(JournalSamples.Records()));
            Assert.That(file.BadRows, Is.EqualTo(1));
            Assert.That(file.BadRowSamples.Single(), Does.StartWith("line 3: not a journal record"));
        });
    }
}
