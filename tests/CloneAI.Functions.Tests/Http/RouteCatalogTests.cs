using System.Reflection;
using CloneAI.Functions.Api.Auth;
using CloneAI.Functions.Api.Clones;
using CloneAI.Functions.Api.Ops;
using CloneAI.Functions.Api.Profile;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace CloneAI.Functions.Tests.Http;

public sealed class RouteCatalogTests
{
    private static readonly IReadOnlyList<HttpFunction> Functions = RouteCatalog.Discover();

    [Fact]
    public void TheCatalogFindsTheHttpFunctionsOfEveryApiClass()
    {
        var expected = new[] { typeof(AuthApi), typeof(MeApi), typeof(ClonesApi), typeof(OpsApi), typeof(CloneAI.Functions.Api.Knowledge.DocumentsApi),
            typeof(CloneAI.Functions.Api.Chat.SessionsApi), typeof(CloneAI.Functions.Api.Chat.RealtimeApi), typeof(CloneAI.Functions.Api.Wallet.WalletApi),
            typeof(CloneAI.Functions.Api.Billing.InvoicesApi),
            typeof(CloneAI.Functions.Api.Dashboard.DashboardApi),
            typeof(CloneAI.Functions.Api.Payouts.EarningsApi), typeof(CloneAI.Functions.Api.Payouts.AdminPayoutsApi),
            typeof(CloneAI.Functions.Api.Billing.LagoWebhookApi), typeof(CloneAI.Functions.Api.Admin.AdminBillingApi),
            typeof(CloneAI.Functions.Api.Progress.ProgressApi),
            typeof(CloneAI.Functions.Api.Recommendations.RecommendationsApi),
            typeof(CloneAI.Functions.Api.Summaries.SummariesApi),
            typeof(CloneAI.Functions.Api.Memory.MemoryApi),
            typeof(CloneAI.Functions.Api.Admin.AdminUsersApi), typeof(CloneAI.Functions.Api.Admin.AdminClonesApi), typeof(CloneAI.Functions.Api.Admin.AuditApi),
            typeof(CloneAI.Functions.Api.Admin.AdminMaintenanceApi),
            typeof(CloneAI.Functions.Api.Moderation.ReportsApi), typeof(CloneAI.Functions.Api.Moderation.VerificationApi),
            typeof(CloneAI.Functions.Api.Privacy.PrivacyApi) }
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<Microsoft.Azure.Functions.Worker.FunctionAttribute>() is not null)
            .Select(m => m.Name)
            .Order(StringComparer.Ordinal);

        Assert.Equal(expected, Functions.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.Contains(Functions, f => f is { Name: "CreateClone", Route: "clones" } && f.Methods.SequenceEqual(["POST"]));
        Assert.Contains(Functions, f => f is { Name: "Health", Route: "health" });
        Assert.Contains(Functions, f => f is { Name: "SignUp", Route: "auth/signup" });
        Assert.Contains(Functions, f => f is { Name: "UploadDocuments", Route: "clones/{id}/documents" } && f.Methods.SequenceEqual(["POST"]));
        // Triggers that are not HTTP (the blob trigger, the orchestrator, activities) are not routes.
        Assert.DoesNotContain(Functions, f => f.Name is "OnDocumentUploaded" or "IngestDocument" or "ExtractText" or "EndExpiredSessions" or "SendBillingOutbox");
        Assert.Contains(Functions, f => f is { Name: "PostMessage", Route: "sessions/{sessionId}/messages" } && f.Methods.SequenceEqual(["POST"]));
        Assert.Contains(Functions, f => f is { Name: "GetProgress", Route: "me/progress" } && f.Methods.SequenceEqual(["GET"]));
        Assert.Contains(Functions, f => f is { Name: "SetProgress", Route: "me/progress/{itemId}" } && f.Methods.SequenceEqual(["PUT"]));
        Assert.Contains(Functions, f => f is { Name: "GetSessionSummary", Route: "sessions/{sessionId}/summary" } && f.Methods.SequenceEqual(["GET"]));
        Assert.Contains(Functions, f => f is { Name: "DeleteSession", Route: "sessions/{sessionId}" } && f.Methods.SequenceEqual(["DELETE"]));
        Assert.DoesNotContain(Functions, f => f.Name is "SummarizeSession" or "WriteSessionSummary" or "SendSessionReceipt" or "StartPendingSummaries");
        Assert.Contains(Functions, f => f is { Name: "DeleteMemory", Route: "me/memories/{memoryId}" } && f.Methods.SequenceEqual(["DELETE"]));
        Assert.Contains(Functions, f => f is { Name: "DeleteMe", Route: "me" } && f.Methods.SequenceEqual(["DELETE"]));
        Assert.Contains(Functions, f => f is { Name: "RequestExport", Route: "me/export" } && f.Methods.SequenceEqual(["POST"]));
        Assert.Contains(Functions, f => f is { Name: "SignOutEverywhere", Route: "me/sign-out-everywhere" } && f.Methods.SequenceEqual(["POST"]));
        Assert.Contains(Functions, f => f is { Name: "DownloadExport", Route: "me/exports/{exportId}/download" } && f.Methods.SequenceEqual(["GET"]));
        Assert.DoesNotContain(Functions, f => f.Name is "ExportUserData" or "BuildUserDataExport" or "SendUserDataExportLink" or "RunPrivacyChores");
        Assert.Contains(Functions, f => f is { Name: "PutCloneSettings", Route: "me/clone-settings/{id}" } && f.Methods.SequenceEqual(["PUT"]));
        Assert.Contains(Functions, f => f is { Name: "AdminRecountAudience", Route: "admin/maintenance/recount-audience" } && f.Methods.SequenceEqual(["POST"]));
    }

    [Fact]
    public void EveryFunctionNameIsUniqueAndIsItsMethodName()
    {
        Assert.Equal(Functions.Count, Functions.Select(f => f.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.All(Functions, f => Assert.Equal(f.Method.Name, f.Name));
    }

    [Fact]
    public void EveryRouteAndMethodPairBelongsToOneFunction()
    {
        var pairs = Functions.SelectMany(f => f.Methods.Select(m => $"{m} {f.Route}")).ToList();

        var duplicates = pairs.GroupBy(p => p, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key);
        Assert.Empty(duplicates);
    }

    [Fact]
    public void EveryRouteParameterIsBoundToAStringParameterOfTheMethod()
    {
        Assert.All(Functions, f =>
        {
            var parameters = f.Method.GetParameters();
            foreach (var name in f.RouteParameters)
                Assert.Contains(parameters, p => p.Name == name && p.ParameterType == typeof(string));
        });
        Assert.Contains(Functions, f => f.RouteParameters.Count > 0);
    }

    [Fact]
    public void EveryFunctionTakesTheRequestReturnsAnActionResultAndIsDocumented()
    {
        Assert.All(Functions, f =>
        {
            Assert.Equal(typeof(HttpRequest), f.Method.GetParameters()[0].ParameterType);
            Assert.True(typeof(IActionResult).IsAssignableFrom(f.Method.ReturnType) || f.Method.ReturnType == typeof(Task<IActionResult>),
                $"{f.Name} returns {f.Method.ReturnType}");
            Assert.NotNull(f.Doc);
            Assert.False(f.Route.StartsWith('/'));
        });
    }

    [Fact]
    public void RouteParametersAreReadWithoutConstraintsDefaultsOrOptionality()
    {
        var f = new HttpFunction("F", typeof(object), typeof(object).GetMethod(nameof(ToString))!, "a/{id:guid}/b/{page=1}/{rest?}", ["GET"], null);

        Assert.Equal(["id", "page", "rest"], f.RouteParameters);
    }
}
