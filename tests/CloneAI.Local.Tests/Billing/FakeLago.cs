using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CloneAI.Local.Tests.Billing;

/// <summary>
/// A loopback Lago for tests (Kestrel on 127.0.0.1, a free port). Every request must carry the API key, and every request body
/// is checked against its operation's request schema in Lago's OpenAPI description (<see cref="LagoContract"/>): a mismatch is
/// recorded in <see cref="Violations"/> and answered 400, and <see cref="AssertNoViolations"/> fails the test. It answers like
/// Lago (ids, a payment URL per wallet transaction, invoices the test adds), keeps the events it received per
/// <c>transaction_id</c> (a second one is refused with Lago's 422 <c>value_already_exist</c>), can fail the next N calls with 500
/// or refuse events with 422, can hold event requests unanswered, and sends signed webhooks (HMAC with the HMAC key; JWT RS256 with
/// its own RSA key, whose public key it serves at <c>/webhooks/json_public_key</c>).
/// </summary>
public sealed class FakeLago : IAsyncDisposable
{
    public const string ApiKey = "fake-lago-api-key";
    public const string HmacKey = "fake-lago-hmac-key";

    private readonly WebApplication _app;
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, JsonObject> _customers = new();
    private readonly ConcurrentDictionary<string, JsonObject> _subscriptions = new();
    private readonly ConcurrentDictionary<string, JsonObject> _wallets = new();
    private readonly ConcurrentDictionary<string, JsonObject> _walletTransactions = new();
    private readonly ConcurrentDictionary<string, JsonObject> _invoices = new();
    private readonly ConcurrentQueue<string> _violations = new();
    private readonly ConcurrentQueue<(string Method, string Path, string? Body)> _requests = new();
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private int _failNext;
    private int _publicKeyFetches;

    private FakeLago(WebApplication app)
    {
        _app = app;
    }

    /// <summary>Lago's API URL (the origin, as <c>Lago:ApiUrl</c> takes it); also the issuer of its JWT webhooks.</summary>
    public string Url { get; private set; } = "";

    /// <summary>Settings that point a host at this fake.</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["Billing:Provider"] = "lago",
        ["Lago:ApiUrl"] = Url,
        ["Lago:ApiKey"] = ApiKey,
        ["Lago:WebhookHmacKey"] = HmacKey,
        ["Lago:RetryDelay"] = "00:00:00.050",
    };

    public IReadOnlyCollection<string> Violations => _violations.ToArray();

    public IReadOnlyList<(string Method, string Path, string? Body)> Requests => _requests.ToArray();

    /// <summary>The events received and kept, by transaction_id (one each).</summary>
    public ConcurrentDictionary<string, JsonObject> Events { get; } = new();

    /// <summary>How many POST /events named each transaction_id, kept or refused.</summary>
    public ConcurrentDictionary<string, int> EventPosts { get; } = new();

    public IReadOnlyDictionary<string, JsonObject> WalletTransactions => _walletTransactions;

    public IReadOnlyDictionary<string, JsonObject> Customers => _customers;

    public int PublicKeyFetches => _publicKeyFetches;

    /// <summary>Refuse every event with this 422 error code while set (a request Lago will never take).</summary>
    public string? RefuseEventsWith { get; set; }

    /// <summary>While set, event requests are kept (the event is stored) but not answered until <see cref="ReleaseHeldEvents"/>.</summary>
    public bool HoldEvents { get; set; }

    /// <summary>The next <paramref name="count"/> calls answer 500.</summary>
    public void FailNext(int count)
    {
        lock (_gate) _failNext = count;
    }

    public void ReleaseHeldEvents() => _release.TrySetResult();

    public void AssertNoViolations() =>
        Assert.True(_violations.IsEmpty, "Requests to the fake Lago did not match Lago's OpenAPI description:\n" + string.Join('\n', _violations));

    public static async Task<FakeLago> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeLago(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        fake.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        _release.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _rsa.Dispose();
    }

    /// <summary>Adds an invoice of the customer; Lago's invoice object with the given fees.</summary>
    public JsonObject AddInvoice(string externalCustomerId, string number, long totalCents, string status = "finalized", string paymentStatus = "succeeded",
        string issuingDate = "2026-11-01", params (string Metric, string Units, long AmountCents)[] fees)
    {
        var id = Guid.NewGuid().ToString();
        var invoice = new JsonObject
        {
            ["lago_id"] = id, ["billing_entity_code"] = "default", ["number"] = number, ["issuing_date"] = issuingDate, ["invoice_type"] = "subscription",
            ["status"] = status, ["payment_status"] = paymentStatus, ["currency"] = "USD",
            ["fees_amount_cents"] = totalCents, ["coupons_amount_cents"] = 0, ["credit_notes_amount_cents"] = 0,
            ["sub_total_excluding_taxes_amount_cents"] = totalCents, ["taxes_amount_cents"] = 0, ["sub_total_including_taxes_amount_cents"] = totalCents,
            ["prepaid_credit_amount_cents"] = 0, ["progressive_billing_credit_amount_cents"] = 0, ["total_amount_cents"] = totalCents,
            ["version_number"] = 4, ["created_at"] = issuingDate + "T00:00:00Z", ["updated_at"] = issuingDate + "T00:00:00Z",
            ["file_url"] = null,
            ["customer"] = new JsonObject { ["lago_id"] = Guid.NewGuid().ToString(), ["external_id"] = externalCustomerId },
            ["billing_periods"] = new JsonArray(new JsonObject
            {
                ["lago_subscription_id"] = Guid.NewGuid().ToString(), ["external_subscription_id"] = externalCustomerId, ["lago_plan_id"] = Guid.NewGuid().ToString(),
                ["subscription_from_datetime"] = "2026-10-01T00:00:00Z", ["subscription_to_datetime"] = "2026-10-31T23:59:59Z",
                ["charges_from_datetime"] = "2026-10-01T00:00:00Z", ["charges_to_datetime"] = "2026-10-31T23:59:59Z", ["invoicing_reason"] = "subscription_periodic",
            }),
            ["fees"] = new JsonArray(fees.Select(f => (JsonNode)new JsonObject
            {
                ["lago_id"] = Guid.NewGuid().ToString(), ["amount_cents"] = f.AmountCents, ["amount_currency"] = "USD", ["taxes_amount_cents"] = 0, ["taxes_rate"] = 0,
                ["total_amount_cents"] = f.AmountCents, ["total_amount_currency"] = "USD", ["pay_in_advance"] = false, ["invoiceable"] = true, ["units"] = f.Units,
                ["events_count"] = 1, ["from_date"] = "2026-10-01T00:00:00Z", ["to_date"] = "2026-10-31T23:59:59Z",
                ["item"] = new JsonObject { ["type"] = "charge", ["code"] = f.Metric, ["name"] = f.Metric == "session_minutes" ? "Session minutes" : "Session messages", ["lago_item_id"] = Guid.NewGuid().ToString(), ["item_type"] = "BillableMetric" },
            }).ToArray()),
        };
        _invoices[id] = invoice;
        return invoice;
    }

    // ---- webhooks ----------------------------------------------------------------------------------------------------

    /// <summary>A <c>wallet_transaction.updated</c> body for the wallet transaction, with the given status.</summary>
    public string WalletTransactionWebhook(string lagoWalletTransactionId, string status = "settled")
    {
        var wt = _walletTransactions.TryGetValue(lagoWalletTransactionId, out var known)
            ? (JsonObject)known.DeepClone()
            : WalletTransactionObject(lagoWalletTransactionId, Guid.NewGuid().ToString(), "10.0");
        wt["status"] = status;
        if (status == "settled") wt["settled_at"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
        if (status == "failed") wt["failed_at"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
        var body = new JsonObject
        {
            ["webhook_type"] = "wallet_transaction.updated", ["object_type"] = "wallet_transaction",
            ["organization_id"] = "1a901a90-1a90-1a90-1a90-1a901a901a90", ["wallet_transaction"] = wt,
        }.ToJsonString();
        var problems = LagoContract.Current.CheckWebhook("wallet_transaction_updated", body);
        Assert.True(problems.Count == 0, "The fake's webhook does not match Lago's description:\n" + string.Join('\n', problems));
        return body;
    }

    public string SignHmac(string body, string? key = null) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key ?? HmacKey), Encoding.UTF8.GetBytes(body)));

    /// <summary>An RS256 JWT whose data claim is the body, issued by this Lago (or signed with another key, for forgeries).</summary>
    public string SignJwt(string body, RSA? key = null, string? issuer = null)
    {
        static string B64(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var header = B64(Encoding.UTF8.GetBytes("""{"alg":"RS256","typ":"JWT"}"""));
        var payload = B64(Encoding.UTF8.GetBytes(new JsonObject { ["data"] = body, ["iss"] = issuer ?? Url }.ToJsonString()));
        var signature = (key ?? _rsa).SignData(Encoding.ASCII.GetBytes(header + "." + payload), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return header + "." + payload + "." + B64(signature);
    }

    /// <summary>Posts a webhook as Lago does: the body with X-Lago-Signature, X-Lago-Signature-Algorithm and X-Lago-Unique-Key.</summary>
    public static async Task<HttpResponseMessage> SendWebhookAsync(HttpClient http, string url, string body, string? algorithm, string? signature, string? uniqueKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null) request.Headers.TryAddWithoutValidation("X-Lago-Signature", signature);
        if (algorithm is not null) request.Headers.TryAddWithoutValidation("X-Lago-Signature-Algorithm", algorithm);
        if (uniqueKey is not null) request.Headers.TryAddWithoutValidation("X-Lago-Unique-Key", uniqueKey);
        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    // ---- the API -----------------------------------------------------------------------------------------------------

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        string? body = null;
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            body = await reader.ReadToEndAsync();
            if (body.Length == 0) body = null;
        }
        _requests.Enqueue((request.Method, path + request.QueryString, body));

        // Lago's invoice files (file_url): storage, not the API, so no API key goes there.
        if (request.Method == "GET" && path.StartsWith("/files/", StringComparison.Ordinal))
        {
            if (request.Headers.ContainsKey("Authorization")) _violations.Enqueue($"GET {path}: the API key was sent to Lago's file storage");
            var fileId = path["/files/".Length..].Replace(".pdf", "", StringComparison.Ordinal);
            if (!_invoices.ContainsKey(fileId))
            {
                context.Response.StatusCode = 404;
                return;
            }
            context.Response.ContentType = "application/pdf";
            await context.Response.Body.WriteAsync(FilePdf(fileId));
            return;
        }
        if (request.Headers.Authorization.ToString() != "Bearer " + ApiKey)
        {
            await Write(context, 401, new JsonObject { ["status"] = 401, ["error"] = "Unauthorized" });
            return;
        }
        if (!path.StartsWith("/api/v1/", StringComparison.Ordinal))
        {
            _violations.Enqueue($"{request.Method} {path}: not below /api/v1/");
            await Write(context, 404, Error(404, "Not Found", "not_found"));
            return;
        }
        var apiPath = path["/api/v1".Length..];
        var problems = LagoContract.Current.CheckRequest(request.Method, apiPath, body);
        if (problems.Count > 0)
        {
            foreach (var p in problems) _violations.Enqueue(p);
            await Write(context, 400, Error(400, "BadRequest: " + string.Join("; ", problems), "bad_request"));
            return;
        }
        bool fail;
        lock (_gate)
        {
            fail = _failNext > 0;
            if (fail) _failNext--;
        }
        if (fail)
        {
            await Write(context, 500, new JsonObject { ["status"] = 500, ["error"] = "Internal Server Error" });
            return;
        }

        var input = body is null ? null : JsonNode.Parse(body)!.AsObject();
        var segments = apiPath.Trim('/').Split('/');
        var (status, answer) = (request.Method, segments) switch
        {
            ("POST", ["customers"]) => Customer(input!["customer"]!.AsObject()),
            ("GET", ["subscriptions", var id]) => _subscriptions.TryGetValue(id, out var s) ? (200, new JsonObject { ["subscription"] = s.DeepClone() }) : NotFound("subscription"),
            ("POST", ["subscriptions"]) => Subscription(input!["subscription"]!.AsObject()),
            ("GET", ["customers", var id, "wallets"]) => (200, new JsonObject
            {
                ["wallets"] = new JsonArray(_wallets.Values.Where(w => w["external_customer_id"]!.GetValue<string>() == id).Select(w => w.DeepClone()).ToArray()),
                ["meta"] = Meta(1),
            }),
            ("POST", ["wallets"]) => Wallet(input!["wallet"]!.AsObject()),
            ("POST", ["wallet_transactions"]) => WalletTransaction(input!["wallet_transaction"]!.AsObject()),
            ("POST", ["wallet_transactions", var id, "payment_url"]) => PaymentUrl(id),
            ("POST", ["events"]) => await EventAsync(input!["event"]!.AsObject(), context.RequestAborted),
            ("GET", ["invoices"]) => Invoices(request.Query["external_customer_id"].ToString()),
            ("GET", ["invoices", var id]) => _invoices.TryGetValue(id, out var i) ? (200, new JsonObject { ["invoice"] = i.DeepClone() }) : NotFound("invoice"),
            ("POST", ["invoices", var id, "download"]) => Download(id),
            ("GET", ["webhooks", "json_public_key"]) => PublicKey(),
            _ => (501, Error(501, $"The fake Lago does not do {request.Method} {apiPath}", "not_implemented")),
        };
        await Write(context, status, answer);
    }

    private (int, JsonObject) Customer(JsonObject input)
    {
        var id = input["external_id"]!.GetValue<string>();
        var customer = _customers.AddOrUpdate(id,
            _ => new JsonObject { ["lago_id"] = Guid.NewGuid().ToString(), ["external_id"] = id, ["created_at"] = DateTimeOffset.UtcNow.ToString("o") },
            (_, existing) => existing);
        foreach (var field in new[] { "name", "email", "currency" })
            if (input[field] is { } value) customer[field] = value.DeepClone();
        return (200, new JsonObject { ["customer"] = customer.DeepClone() });
    }

    private (int, JsonObject) Subscription(JsonObject input)
    {
        var id = input["external_id"]!.GetValue<string>();
        if (!_customers.ContainsKey(input["external_customer_id"]!.GetValue<string>())) return NotFound("customer");
        var subscription = _subscriptions.GetOrAdd(id, _ => new JsonObject
        {
            ["lago_id"] = Guid.NewGuid().ToString(), ["external_id"] = id, ["external_customer_id"] = input["external_customer_id"]!.GetValue<string>(),
            ["plan_code"] = input["plan_code"]!.GetValue<string>(), ["status"] = "active",
        });
        return (200, new JsonObject { ["subscription"] = subscription.DeepClone() });
    }

    private (int, JsonObject) Wallet(JsonObject input)
    {
        var customer = input["external_customer_id"]!.GetValue<string>();
        if (!_customers.ContainsKey(customer)) return NotFound("customer");
        var id = Guid.NewGuid().ToString();
        var wallet = new JsonObject
        {
            ["lago_id"] = id, ["external_customer_id"] = customer, ["status"] = "active", ["currency"] = input["currency"]!.GetValue<string>(),
            ["rate_amount"] = input["rate_amount"]!.GetValue<string>(), ["name"] = input["name"]?.DeepClone(), ["code"] = input["code"]?.DeepClone(),
            ["balance_cents"] = 0,
        };
        _wallets[id] = wallet;
        return (200, new JsonObject { ["wallet"] = wallet.DeepClone() });
    }

    private static JsonObject WalletTransactionObject(string id, string walletId, string credits) => new()
    {
        ["lago_id"] = id, ["lago_wallet_id"] = walletId, ["lago_invoice_id"] = null, ["lago_credit_note_id"] = null, ["lago_voided_invoice_id"] = null,
        ["status"] = "pending", ["source"] = "manual", ["transaction_status"] = "purchased", ["transaction_type"] = "inbound",
        ["amount"] = credits, ["credit_amount"] = credits, ["remaining_amount_cents"] = null, ["remaining_credit_amount"] = null, ["priority"] = 50,
        ["invoice_requires_successful_payment"] = true, ["settled_at"] = null, ["failed_at"] = null,
        ["created_at"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"), ["metadata"] = new JsonArray(), ["name"] = "CloneAI wallet top-up",
        ["payment_method"] = new JsonObject { ["payment_method_type"] = "provider" },
    };

    private (int, JsonObject) WalletTransaction(JsonObject input)
    {
        var walletId = input["wallet_id"]!.GetValue<string>();
        if (!_wallets.ContainsKey(walletId)) return NotFound("wallet");
        var id = Guid.NewGuid().ToString();
        var wt = WalletTransactionObject(id, walletId, input["paid_credits"]?.GetValue<string>() ?? "0");
        if (input["metadata"] is JsonArray metadata) wt["metadata"] = metadata.DeepClone();
        _walletTransactions[id] = wt;
        return (200, new JsonObject { ["wallet_transactions"] = new JsonArray(wt.DeepClone()) });
    }

    public string PaymentUrlOf(string walletTransactionId) => $"{Url}/checkout/{walletTransactionId}";

    private (int, JsonObject) PaymentUrl(string id)
    {
        if (!_walletTransactions.TryGetValue(id, out var wt)) return NotFound("wallet_transaction");
        var customer = _wallets[wt["lago_wallet_id"]!.GetValue<string>()]["external_customer_id"]!.GetValue<string>();
        return (200, new JsonObject
        {
            ["wallet_transaction_payment_details"] = new JsonObject
            {
                ["lago_customer_id"] = _customers[customer]["lago_id"]!.DeepClone(), ["lago_wallet_transaction_id"] = id,
                ["external_customer_id"] = customer, ["payment_provider"] = "stripe", ["payment_url"] = PaymentUrlOf(id),
            },
        });
    }

    private async Task<(int, JsonObject)> EventAsync(JsonObject input, CancellationToken aborted)
    {
        var id = input["transaction_id"]!.GetValue<string>();
        EventPosts.AddOrUpdate(id, 1, (_, n) => n + 1);
        if (RefuseEventsWith is { } code)
            return (422, Error(422, "Unprocessable Entity", "validation_errors", new JsonObject { ["code"] = new JsonArray(code) }));
        if (!Events.TryAdd(id, (JsonObject)input.DeepClone()))
            return (422, Error(422, "Unprocessable Entity", "validation_errors", new JsonObject { ["transaction_id"] = new JsonArray("value_already_exist") }));
        if (HoldEvents)
        {
            try { await _release.Task.WaitAsync(aborted); }
            catch (OperationCanceledException) { return (499, new JsonObject()); }
        }
        return (200, new JsonObject
        {
            ["event"] = new JsonObject
            {
                ["lago_id"] = Guid.NewGuid().ToString(), ["transaction_id"] = id, ["lago_customer_id"] = null, ["code"] = input["code"]!.DeepClone(),
                ["timestamp"] = DateTimeOffset.UtcNow.ToString("o"), ["external_subscription_id"] = input["external_subscription_id"]!.DeepClone(),
                ["properties"] = input["properties"]?.DeepClone(), ["created_at"] = DateTimeOffset.UtcNow.ToString("o"),
            },
        });
    }

    private (int, JsonObject) Invoices(string customer) => (200, new JsonObject
    {
        ["invoices"] = new JsonArray(_invoices.Values.Where(i => i["customer"]!["external_id"]!.GetValue<string>() == customer)
            .Select(i => { var copy = (JsonObject)i.DeepClone(); copy.Remove("fees"); copy.Remove("billing_periods"); return (JsonNode)copy; }).ToArray()),
        ["meta"] = Meta(1),
    });

    /// <summary>The bytes of the PDF the fake keeps for an invoice (what <c>file_url</c> serves).</summary>
    public static byte[] FilePdf(string lagoId) => Encoding.ASCII.GetBytes($"%PDF-1.4\n% Lago's own invoice {lagoId}\n%%EOF\n");

    private (int, JsonObject) Download(string id)
    {
        if (!_invoices.TryGetValue(id, out var invoice)) return NotFound("invoice");
        invoice["file_url"] = $"{Url}/files/{id}.pdf";
        return (200, new JsonObject { ["invoice"] = invoice.DeepClone() });
    }

    private (int, JsonObject) PublicKey()
    {
        Interlocked.Increment(ref _publicKeyFetches);
        // As Lago serves it: base64 of the PEM text.
        var pem = _rsa.ExportSubjectPublicKeyInfoPem();
        return (200, new JsonObject { ["webhook"] = new JsonObject { ["public_key"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(pem)) } });
    }

    private static JsonObject Meta(int pages) => new() { ["current_page"] = 1, ["next_page"] = null, ["prev_page"] = null, ["total_pages"] = pages, ["total_count"] = 0 };

    private static (int, JsonObject) NotFound(string what) => (404, Error(404, "Not Found", what + "_not_found"));

    private static JsonObject Error(int status, string error, string code, JsonObject? details = null)
    {
        var e = new JsonObject { ["status"] = status, ["error"] = error, ["code"] = code };
        if (details is not null) e["error_details"] = details;
        return e;
    }

    private static async Task Write(HttpContext context, int status, JsonObject body)
    {
        if (context.RequestAborted.IsCancellationRequested) return;
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }
}
