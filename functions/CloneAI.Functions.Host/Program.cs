using CloneAI.Azure;
using CloneAI.Azure.Telemetry;
using CloneAI.Core;
using CloneAI.Functions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseCloneAIFunctions();

// Azure has no built-in accounts: identities come from Microsoft Entra External ID, whatever the settings say.
builder.Configuration.AddInMemoryCollection([new("Auth:Mode", Names.AuthModeEntra)]);

// OpenTelemetry to Application Insights when APPLICATIONINSIGHTS_CONNECTION_STRING is set (host.json: telemetryMode).
builder.Services.AddCloneAITelemetry(builder.Configuration)?.UseFunctionsWorkerDefaults();
builder.Services.AddCloneAICore();
builder.Services.AddCloneAIFunctions();
builder.Services.AddCloneAIAzure(builder.Configuration);

await builder.Build().RunAsync();
