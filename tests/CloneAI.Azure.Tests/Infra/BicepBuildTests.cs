using System.Text.Json.Nodes;
using CloneAI.Core.Realtime;

namespace CloneAI.Azure.Tests.Infra;

/// <summary>The infrastructure compiles offline with the bicep binary from the Azure.Bicep.CommandLine package.</summary>
public sealed class BicepBuildTests
{
    private static string Bicep
    {
        get
        {
            var path = TestPaths.BicepPath;
            Assert.True(File.Exists(path), $"No bicep binary at {path}.");
            if (!OperatingSystem.IsWindows())
            {
                var mode = File.GetUnixFileMode(path);
                const UnixFileMode exec = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
                if ((mode & exec) != exec) File.SetUnixFileMode(path, mode | exec);
            }
            return path;
        }
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(params string[] args) =>
        TestProcess.Run(Bicep, args, TimeSpan.FromMinutes(3), environment: new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" });

    [Fact]
    public void MainBicepBuildsOffline()
    {
        var main = Path.Combine(TestPaths.RepositoryRoot, "infra", "bicep", "main.bicep");

        var (exitCode, stdout, stderr) = Run("build", main, "--stdout");

        Assert.True(exitCode == 0, $"bicep build failed ({exitCode}):\n{stderr}");
        var template = JsonNode.Parse(stdout)!;
        Assert.Equal("https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#", (string?)template["$schema"]);
        var outputs = template["outputs"]!.AsObject().Select(o => o.Key).ToList();
        Assert.All(outputs, o => Assert.Matches("^[A-Z][A-Z0-9_]*$", o));
        Assert.Contains("AZURE_COSMOS_ENDPOINT", outputs);
        Assert.DoesNotContain("warning", stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void TheParametersFileBuildsAgainstMain()
    {
        var parameters = Path.Combine(TestPaths.RepositoryRoot, "infra", "bicep", "main.parameters.json");
        var json = JsonNode.Parse(File.ReadAllText(parameters))!;
        Assert.NotNull(json["parameters"]!["environmentName"]);
        Assert.NotNull(json["parameters"]!["location"]);
    }

    [Fact]
    public void TheCosmosContainersInBicepAreTheOnesTheCodeUses()
    {
        var cosmos = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "infra", "bicep", "app", "cosmos.bicep"));
        foreach (var name in new[] { AzureNames.UsersContainer, AzureNames.ClonesContainer, AzureNames.SlugsContainer, AzureNames.DocumentsContainer, AzureNames.SessionsContainer, AzureNames.CosmosDatabase })
            Assert.Contains($"'{name}'", cosmos);
        Assert.Contains("'/id'", cosmos);
        Assert.Contains($"name: '{AzureNames.DocumentsContainer}', partitionKey: '{CloneAI.Azure.Cosmos.CosmosContainers.DocumentsPartitionKeyPath}'", cosmos);
        Assert.Contains($"name: '{AzureNames.SessionsContainer}', partitionKey: '{CloneAI.Azure.Cosmos.CosmosContainers.SessionsPartitionKeyPath}'", cosmos);
        Assert.Contains($"name: '{AzureNames.LedgerContainer}', partitionKey: '{CloneAI.Azure.Cosmos.CosmosContainers.LedgerPartitionKeyPath}'", cosmos);
        // The money containers of the top-up, payout and billing-outbox stores.
        Assert.Contains("name: 'topups', partitionKey: '/userId'", cosmos);
        Assert.Contains("name: 'payouts', partitionKey: '/creatorId'", cosmos);
        Assert.Contains("name: 'billing', partitionKey: '/id'", cosmos);
    }

    [Fact]
    public void TheLagoAndStripeKeysAreKeyVaultSecretsTheAppReadsThroughReferencesWithItsIdentity()
    {
        var template = BuildMain();
        var settings = (string)Module(template, "api")["properties"]!["parameters"]!["appSettings"]!["value"]!;
        foreach (var (setting, output) in new[] { ("Lago__ApiKey", "lagoApiKeyUri"), ("Lago__WebhookHmacKey", "lagoWebhookHmacKeyUri"), ("Stripe__ApiKey", "stripeApiKeyUri") })
        {
            Assert.Matches($@"'{setting}', format\('@Microsoft\.KeyVault\(SecretUri=\{{0\}}\)', reference\([^;]*'Microsoft\.Resources/deployments', 'key-vault'\), '[0-9-]+'\)\.outputs\.{output}\.value\)", settings);
        }
        Assert.Contains("'Lago__ApiUrl', parameters('lagoApiUrl')", settings, StringComparison.Ordinal);
        foreach (var (setting, parameter, value) in new[]
        {
            ("Billing__Provider", "billingProvider", "test"), ("Billing__Currency", "billingCurrency", "USD"),
            ("Billing__PlatformFeePercent", "billingPlatformFeePercent", "20"), ("Billing__PayoutProvider", "billingPayoutProvider", "manual"),
        })
        {
            Assert.Contains($"'{setting}', parameters('{parameter}')", settings, StringComparison.Ordinal);
            Assert.Equal(value, (string?)template["parameters"]![parameter]!["defaultValue"]);
        }
        // The keys come in as secure parameters, go to the vault, and never reach an output or a plain app setting.
        Assert.Equal("securestring", (string?)template["parameters"]!["lagoApiKey"]!["type"]);
        Assert.Equal("securestring", (string?)template["parameters"]!["lagoWebhookHmacKey"]!["type"]);
        Assert.Equal("securestring", (string?)template["parameters"]!["stripeApiKey"]!["type"]);
        Assert.DoesNotContain("parameters('lagoApiKey')", settings, StringComparison.Ordinal);
        Assert.DoesNotContain("parameters('lagoWebhookHmacKey')", settings, StringComparison.Ordinal);
        Assert.DoesNotContain("parameters('stripeApiKey')", settings, StringComparison.Ordinal);
        var outputs = template["outputs"]!.AsObject().Select(o => o.Key).ToList();
        Assert.Contains("AZURE_KEY_VAULT_NAME", outputs);
        Assert.Contains("AZURE_KEY_VAULT_ENDPOINT", outputs);
        var vaultParameters = Module(template, "key-vault")["properties"]!["parameters"]!;
        Assert.Equal("[parameters('lagoApiKey')]", (string?)vaultParameters["lagoApiKey"]!["value"]);
        Assert.Equal("[parameters('lagoWebhookHmacKey')]", (string?)vaultParameters["lagoWebhookHmacKey"]!["value"]);
        Assert.Equal("[parameters('stripeApiKey')]", (string?)vaultParameters["stripeApiKey"]!["value"]);

        // azd fills every new parameter from its environment.
        var parameters = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "infra", "bicep", "main.parameters.json")))!["parameters"]!;
        foreach (var (parameter, variable) in new[]
        {
            ("billingProvider", "${BILLING_PROVIDER=test}"), ("billingCurrency", "${BILLING_CURRENCY=USD}"),
            ("billingPlatformFeePercent", "${BILLING_PLATFORM_FEE_PERCENT=20}"), ("billingPayoutProvider", "${BILLING_PAYOUT_PROVIDER=manual}"),
            ("lagoApiUrl", "${LAGO_API_URL=https://api.getlago.com}"), ("lagoApiKey", "${LAGO_API_KEY=}"),
            ("lagoWebhookHmacKey", "${LAGO_WEBHOOK_HMAC_KEY=}"), ("stripeApiKey", "${STRIPE_API_KEY=}"),
            ("keyVaultPurgeProtection", "${KEY_VAULT_PURGE_PROTECTION=true}"),
        })
        {
            Assert.Equal(variable, (string?)parameters[parameter]!["value"]);
            Assert.NotNull(template["parameters"]![parameter]);
        }

        // The references resolve as the user-assigned identity, which the vault lets read secrets (and nothing more).
        var functionApp = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "infra", "bicep", "app", "function-app.bicep"));
        Assert.Contains("keyVaultReferenceIdentity: identityId", functionApp, StringComparison.Ordinal);
        Assert.Equal("[reference(extensionResourceId(format('/subscriptions/{0}/resourceGroups/{1}', subscription().subscriptionId, format('{0}{1}', variables('abbrs').resourcesResourceGroups, parameters('environmentName'))), 'Microsoft.Resources/deployments', 'identity'), '2025-04-01').outputs.principalId.value]",
            (string?)vaultParameters["identityPrincipalId"]!["value"]);
    }

    [Fact]
    public void TheVaultUsesRbacKeepsDeletedSecretsAndWritesEachSecretOnlyWhenGiven()
    {
        var module = Path.Combine(TestPaths.RepositoryRoot, "infra", "bicep", "app", "key-vault.bicep");
        var (exitCode, stdout, stderr) = Run("build", module, "--stdout");
        Assert.True(exitCode == 0, $"bicep build of the key vault module failed ({exitCode}):\n{stderr}");
        Assert.DoesNotContain("warning", stderr, StringComparison.OrdinalIgnoreCase);
        var lint = Run("lint", module);
        Assert.True(lint.ExitCode == 0 && !lint.Stdout.Contains("warning", StringComparison.OrdinalIgnoreCase), lint.Stdout + lint.Stderr);

        var template = JsonNode.Parse(stdout)!;
        var resources = template["resources"]!.AsArray().Select(r => r!.AsObject()).ToList();
        var variables = template["variables"]!;
        var vault = Assert.Single(resources, r => (string?)r["type"] == "Microsoft.KeyVault/vaults")!;
        var properties = vault["properties"]!;
        Assert.True((bool)properties["enableRbacAuthorization"]!);
        Assert.True((bool)properties["enableSoftDelete"]!);
        Assert.Equal("[if(parameters('purgeProtection'), true(), null())]", (string?)properties["enablePurgeProtection"]);
        Assert.Null(properties["accessPolicies"]);
        Assert.Equal(true, (bool?)template["parameters"]!["purgeProtection"]!["defaultValue"]);

        // Key Vault Secrets User for the app's identity, named guid(vault, principal, role).
        var roles = resources.Where(r => (string?)r["type"] == "Microsoft.Authorization/roleAssignments").ToList();
        Assert.Equal("4633458b-17de-408a-b874-0445c86b69e6", (string?)variables["secretsUser"]);
        var app = Assert.Single(roles, r => (string?)r["properties"]!["roleDefinitionId"] == "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', variables('secretsUser'))]")!;
        Assert.Equal("[parameters('identityPrincipalId')]", (string?)app["properties"]!["principalId"]);
        Assert.Equal("ServicePrincipal", (string?)app["properties"]!["principalType"]);
        Assert.Contains("guid(resourceId('Microsoft.KeyVault/vaults', parameters('name')), parameters('identityPrincipalId')", (string?)app["name"], StringComparison.Ordinal);
        Assert.Null(app["condition"]);

        foreach (var (secret, parameter) in new[] { ("lago-api-key", "lagoApiKey"), ("lago-webhook-hmac-key", "lagoWebhookHmacKey"), ("stripe-api-key", "stripeApiKey") })
        {
            Assert.Equal(secret, (string?)variables[parameter + "Name"]);
            var resource = Assert.Single(resources, r => (string?)r["type"] == "Microsoft.KeyVault/vaults/secrets"
                && (string?)r["name"] == $"[format('{{0}}/{{1}}', parameters('name'), variables('{parameter}Name'))]")!;
            Assert.Equal($"[not(empty(parameters('{parameter}')))]", (string?)resource["condition"]);
            Assert.Equal($"[parameters('{parameter}')]", (string?)resource["properties"]!["value"]);
            Assert.Equal("securestring", (string?)template["parameters"]![parameter]!["type"]);
        }
        Assert.DoesNotContain(template["outputs"]!.AsObject(), o => ((string?)o.Value!["value"])!.Contains("parameters('lago", StringComparison.Ordinal)
            || ((string?)o.Value!["value"])!.Contains("parameters('stripe", StringComparison.Ordinal));
    }

    internal static JsonNode BuildMainTemplate() => BuildMain();

    internal static JsonObject ApiModule(JsonNode template) => Module(template, "api");

    private static JsonNode BuildMain()
    {
        var (exitCode, stdout, stderr) = Run("build", Path.Combine(TestPaths.RepositoryRoot, "infra", "bicep", "main.bicep"), "--stdout");
        Assert.True(exitCode == 0, $"bicep build failed ({exitCode}):\n{stderr}");
        return JsonNode.Parse(stdout)!;
    }

    private static JsonObject Module(JsonNode template, string name) =>
        template["resources"]!.AsArray()
            .Single(r => (string?)r!["type"] == "Microsoft.Resources/deployments" && (string?)r["name"] == name)!
            .AsObject();

    [Fact]
    public void TheKnowledgeBaseServicesAreProvisionedAndWiredIntoTheApp()
    {
        var template = BuildMain();
        var outputs = template["outputs"]!.AsObject().Select(o => o.Key).ToList();
        Assert.Contains("AZURE_SEARCH_ENDPOINT", outputs);
        Assert.Contains("AZURE_OPENAI_ENDPOINT", outputs);

        // An ARM expression: union(variables('adminSettings'), createObject('Auth__Mode', 'entra', ...)).
        var settings = (string)Module(template, "api")["properties"]!["parameters"]!["appSettings"]!["value"]!;
        foreach (var key in new[]
        {
            "KnowledgeStorage__blobServiceUri", "KnowledgeStorage__queueServiceUri", "KnowledgeStorage__credential", "KnowledgeStorage__clientId",
            "Search__Endpoint", "Embeddings__Provider", "Embeddings__Endpoint", "Embeddings__Model",
        })
        {
            Assert.Contains($"'{key}'", settings, StringComparison.Ordinal);
        }
        Assert.Contains("'KnowledgeStorage__credential', 'managedidentity'", settings, StringComparison.Ordinal);
        Assert.Contains($"'Embeddings__Provider', '{Core.Knowledge.EmbeddingOptions.AzureOpenAIProvider}'", settings, StringComparison.Ordinal);
    }

    [Fact]
    public void AdminsComeFromTheAppRoleNeverFromEmails()
    {
        var template = BuildMain();
        var settings = (string)Module(template, "api")["properties"]!["parameters"]!["appSettings"]!["value"]!;
        var variables = template["variables"]!.ToJsonString();

        Assert.Contains("Auth__AdminAppRole", variables + settings, StringComparison.Ordinal);
        Assert.DoesNotContain("AdminEmails", variables + settings, StringComparison.Ordinal);
        Assert.Equal("Admin", (string?)template["parameters"]!["adminAppRole"]!["defaultValue"]);
    }

    [Fact]
    public void ChatHasItsModelAndItsRealtimeHubWiredIntoTheApp()
    {
        var template = BuildMain();
        Assert.Contains("AZURE_WEBPUBSUB_ENDPOINT", template["outputs"]!.AsObject().Select(o => o.Key));
        var settings = (string)Module(template, "api")["properties"]!["parameters"]!["appSettings"]!["value"]!;
        foreach (var key in new[] { "Chat__Provider", "Chat__Endpoint", "Chat__Model", "WebPubSub__Endpoint", "WebPubSub__Hub" })
            Assert.Contains($"'{key}'", settings, StringComparison.Ordinal);
        Assert.Contains($"'Chat__Provider', '{Core.Chat.ChatProviders.AzureOpenAI}'", settings, StringComparison.Ordinal);
        Assert.DoesNotContain("WebPubSub__ConnectionString", settings, StringComparison.Ordinal); // no keys in app settings

        var pubsub = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "infra", "bicep", "app", "web-pubsub.bicep"));
        Assert.Contains($"param hubName string = '{RealtimeNames.Hub}'", pubsub, StringComparison.Ordinal);
        Assert.Contains("disableLocalAuth: true", pubsub, StringComparison.Ordinal);
        Assert.Contains("anonymousConnectPolicy: 'deny'", pubsub, StringComparison.Ordinal);
        Assert.Contains("'12cf5a90-567b-43ae-8102-96cf46c7d9b4'", pubsub, StringComparison.Ordinal); // Web PubSub Service Owner
        Assert.Contains("guid(pubsub.id, identityPrincipalId, serviceOwner)", pubsub, StringComparison.Ordinal);

        var openai = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "infra", "bicep", "app", "openai.bicep"));
        Assert.Contains("resource chat 'Microsoft.CognitiveServices/accounts/deployments", openai, StringComparison.Ordinal);
    }

    [Fact]
    public void TheEventSubscriptionIsLeftToThePostdeployHookAndItsModuleBuildsOnItsOwn()
    {
        var template = BuildMain();
        Assert.DoesNotContain(template["resources"]!.AsArray(), r => (string?)r!["name"] == "blob-event-subscription");
        var outputs = template["outputs"]!.AsObject().Select(o => o.Key).ToList();
        // What infra/hooks/postdeploy.sh reads from the azd environment.
        Assert.Contains("AZURE_RESOURCE_GROUP", outputs);
        Assert.Contains("AZURE_FUNCTION_APP_NAME", outputs);
        Assert.Contains("AZURE_EVENTGRID_SYSTEM_TOPIC", outputs);

        var module = Path.Combine(TestPaths.RepositoryRoot, "infra", "bicep", "app", "blob-event-subscription.bicep");
        var (exitCode, stdout, stderr) = Run("build", module, "--stdout");
        Assert.True(exitCode == 0, $"bicep build of the event subscription module failed ({exitCode}):\n{stderr}");
        Assert.DoesNotContain("warning", stderr, StringComparison.OrdinalIgnoreCase);
        var parameters = JsonNode.Parse(stdout)!["parameters"]!.AsObject();
        Assert.Equal(["systemTopicName", "functionAppName"], parameters.Where(p => p.Value!["defaultValue"] is null).Select(p => p.Key));
        var lint = Run("lint", module);
        Assert.True(lint.ExitCode == 0 && !lint.Stdout.Contains("warning", StringComparison.OrdinalIgnoreCase), lint.Stdout + lint.Stderr);
    }

    [Fact]
    public void TheEventSubscriptionDeliversKnowledgeUploadsToTheBlobTriggerWebhook()
    {
        var bicep = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "infra", "bicep", "app", "blob-event-subscription.bicep"));

        Assert.Contains("'Microsoft.Storage.BlobCreated'", bicep);
        Assert.Contains("subjectBeginsWith: '/blobServices/default/containers/${containerName}/blobs/${blobPrefix}'", bicep);
        Assert.Contains($"param containerName string = '{Core.Names.BlobContainer}'", bicep);
        Assert.Contains($"param blobPrefix string = '{Core.Knowledge.WorkFiles.KnowledgePrefix}'", bicep);
        Assert.Contains("/runtime/webhooks/blobs?functionName=Host.Functions.${functionName}&code=${blobsExtensionKey}", bicep);
        Assert.Contains("param functionName string = 'OnDocumentUploaded'", bicep);
        Assert.Contains(".systemKeys.blobs_extension", bicep);
    }

    [Fact]
    public void EmailIsCommunicationServicesWithAManagedDomainTheAppSendsThroughWithItsIdentity()
    {
        var template = BuildMain();
        var settings = (string)Module(template, "api")["properties"]!["parameters"]!["appSettings"]!["value"]!;
        Assert.Contains("CommunicationEmail__Endpoint", settings);
        Assert.Contains("CommunicationEmail__Sender", settings);
        Assert.Equal(true, (bool?)template["parameters"]!["deployEmail"]!["defaultValue"]);
        Assert.Equal("[parameters('deployEmail')]", (string?)Module(template, "email")["condition"]);

        var email = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "infra", "bicep", "app", "email.bicep"));
        Assert.Contains("domainManagement: 'AzureManaged'", email);
        Assert.Contains("linkedDomains: [domain.id]", email);
        Assert.Contains("'09976791-48a7-449e-bb21-39d1a415f350'", email); // Communication and Email Service Owner
        Assert.Contains("guid(communication.id, identityPrincipalId, emailServiceOwner)", email);
        Assert.Contains("output sender string = 'DoNotReply@${domain.properties.mailFromSenderDomain}'", email);
    }

    [Fact]
    public void TheDurableBackendIsTheWebJobsStorageAccountWhichTheIdentityCanUseForQueuesAndTables()
    {
        // host.json: the Azure Storage provider on the AzureWebJobsStorage connection (FunctionsMetadataTests checks the file).
        var durable = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "host.json")))!["extensions"]!["durableTask"]!["storageProvider"]!;
        Assert.Equal("AzureStorage", (string?)durable["type"]);
        var connection = (string)durable["connectionName"]!;

        // That connection is the app's storage account, by identity...
        var functionApp = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "infra", "bicep", "app", "function-app.bicep"));
        Assert.Contains($"{connection}__accountName: storage.name", functionApp);
        Assert.Contains($"{connection}__credential: 'managedidentity'", functionApp);
        Assert.Contains($"{connection}__clientId: identityClientId", functionApp);

        // ...on which the identity may use blobs (leases), queues (work items) and tables (history, instances).
        var storage = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "infra", "bicep", "app", "storage.bicep"));
        Assert.Contains("var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'", storage);
        Assert.Contains("var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'", storage);
        Assert.Contains("var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'", storage);
        Assert.Contains("[for roleId in [storageBlobDataOwner, storageQueueDataContributor, storageTableDataContributor]: {", storage);
        Assert.Contains("name: guid(storage.id, identityPrincipalId, roleId)", storage);
        Assert.Contains("allowSharedKeyAccess: false", storage);
    }

    [Fact]
    public void TheApiAllowsCallsFromTheStaticWebAppOriginOnly()
    {
        var template = BuildMain();
        var api = Module(template, "api")["properties"]!["parameters"]!;
        var origin = (string?)Assert.Single(api["allowedOrigins"]!["value"]!.AsArray());
        Assert.Matches(@"^\[format\('https://\{0\}', reference\(.*'Microsoft\.Resources/deployments', 'web'\).*\.outputs\.defaultHostname\.value\)\]$", origin);
        var functionApp = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "infra", "bicep", "app", "function-app.bicep"));
        Assert.Contains("cors: { allowedOrigins: allowedOrigins }", functionApp);
    }

    [Fact]
    public void SearchAndOpenAIUseEntraIdOnly()
    {
        var search = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "infra", "bicep", "app", "search.bicep"));
        var openai = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "infra", "bicep", "app", "openai.bicep"));

        Assert.Contains("disableLocalAuth: true", search);
        Assert.DoesNotContain("authOptions:", search);
        Assert.Contains("'8ebe5a00-799e-43f5-93ac-243d3dce84a7'", search); // Search Index Data Contributor
        Assert.Contains("'7ca78c08-252a-4471-8644-bb5ff32d4ba0'", search); // Search Service Contributor
        Assert.Contains("disableLocalAuth: true", openai);
        Assert.Contains("kind: 'OpenAI'", openai);
        Assert.Contains("'5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'", openai); // Cognitive Services OpenAI User
    }
}
