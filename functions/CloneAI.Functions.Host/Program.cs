using CloneAI.Azure;
using CloneAI.Core;
using CloneAI.Functions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

// Azure has no built-in accounts: identities come from Microsoft Entra External ID, whatever the settings say.
builder.Configuration.AddInMemoryCollection([new("Auth:Mode", Names.AuthModeEntra)]);

builder.Services
    .AddApplicationInsightsTelemetryWorkerService()
    .ConfigureFunctionsApplicationInsights();
builder.Services.AddCloneAICore();
builder.Services.AddCloneAIFunctions();
builder.Services.AddCloneAIAzure(builder.Configuration);

await builder.Build().RunAsync();
