using RiskConsole.Server;

var builder = WebApplication.CreateBuilder(args);
builder.AddRiskConsole();

var app = builder.Build();
app.MapRiskConsole();

return await app.RunRiskConsoleAsync();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
