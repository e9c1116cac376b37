using Microsoft.Net.Http.Headers;

namespace RiskConsole.Server.Endpoints;

/// <summary>
/// The dashboard's static files in wwwroot (the page, its modules and styles, and lib/signalr.min.js, which the build
/// copies from npm). Served with <c>Cache-Control: no-cache</c>: a browser keeps them but asks (ETag, 304) every time,
/// so a page that is open across an upgrade never mixes old and new modules. /audio/{file} is not one of them.
/// </summary>
public static class DashboardFiles
{
    public static WebApplication UseDashboardFiles(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = file => file.Context.Response.Headers[HeaderNames.CacheControl] = "no-cache",
        });
        return app;
    }
}
