using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Billing.Lago;

/// <summary>
/// A failed call to Lago. <see cref="Transient"/> failures (5xx, 429, a timeout, no connection) were already retried by
/// <see cref="LagoClient"/> and may succeed later; the others (4xx: a request Lago refuses) will fail the same way again.
/// </summary>
public sealed class LagoException(string message, int? status, string? code, bool transient, Exception? inner = null, string? details = null) : Exception(message, inner)
{
    /// <summary>Lago's <c>error_details</c> as JSON text, when it sent them.</summary>
    public string? Details { get; } = details;

    /// <summary>Lago's HTTP status, or null when no answer came (timeout, connection).</summary>
    public int? Status { get; } = status;

    /// <summary>Lago's error code (<c>value_already_exist</c>, <c>customer_not_found</c>…), when it sent one.</summary>
    public string? Code { get; } = code;

    public bool Transient { get; } = transient;

    public bool IsNotFound => Status == 404;
}

/// <summary>
/// A typed client of Lago's REST API (<c>{Lago:ApiUrl}/api/v1</c>, bearer <c>Lago:ApiKey</c>), written by hand from Lago's
/// OpenAPI description: customers, subscriptions, wallets and their top-ups (wallet transactions) with their payment URL, usage
/// events, invoices and the webhook public key. Requests that fail with a 5xx, a 429 or a timeout are retried with exponential
/// backoff (<c>Lago:Retries</c>, <c>Lago:RetryDelay</c>); a 4xx is not retried. Failures are <see cref="LagoException"/>s.
/// </summary>
public sealed class LagoClient(HttpClient http, IOptions<LagoOptions> options, ILogger<LagoClient> logger)
{
    private LagoOptions Options => options.Value;

    /// <summary>Creates the customer, or updates the one with this external id (Lago upserts by <c>external_id</c>).</summary>
    public async Task<LagoCustomer> UpsertCustomerAsync(LagoCustomerInput customer, CancellationToken cancellationToken = default) =>
        (await SendAsync<LagoCustomerResponse>(HttpMethod.Post, "customers", new LagoCustomerRequest(customer), cancellationToken)).Customer;

    public async Task<LagoSubscription> CreateSubscriptionAsync(LagoSubscriptionInput subscription, CancellationToken cancellationToken = default) =>
        (await SendAsync<LagoSubscriptionResponse>(HttpMethod.Post, "subscriptions", new LagoSubscriptionRequest(subscription), cancellationToken)).Subscription;

    /// <summary>The subscription with this external id, or null.</summary>
    public async Task<LagoSubscription?> GetSubscriptionAsync(string externalId, CancellationToken cancellationToken = default)
    {
        try
        {
            return (await SendAsync<LagoSubscriptionResponse>(HttpMethod.Get, "subscriptions/" + Uri.EscapeDataString(externalId), null, cancellationToken)).Subscription;
        }
        catch (LagoException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>The customer's wallets (the first page: a customer of this product has one per currency).</summary>
    public async Task<IReadOnlyList<LagoWallet>> ListWalletsAsync(string externalCustomerId, CancellationToken cancellationToken = default)
    {
        try
        {
            return (await SendAsync<LagoWalletsPage>(HttpMethod.Get, $"customers/{Uri.EscapeDataString(externalCustomerId)}/wallets?per_page=100", null, cancellationToken)).Wallets;
        }
        catch (LagoException e) when (e.IsNotFound)
        {
            return [];
        }
    }

    public async Task<LagoWallet> CreateWalletAsync(LagoWalletInput wallet, CancellationToken cancellationToken = default) =>
        (await SendAsync<LagoWalletResponse>(HttpMethod.Post, "wallets", new LagoWalletRequest(wallet), cancellationToken)).Wallet;

    /// <summary>Tops a wallet up: Lago answers with the wallet transactions it made (one per kind of credits).</summary>
    public async Task<IReadOnlyList<LagoWalletTransaction>> CreateWalletTransactionAsync(LagoWalletTransactionInput transaction, CancellationToken cancellationToken = default) =>
        (await SendAsync<LagoWalletTransactionsResponse>(HttpMethod.Post, "wallet_transactions", new LagoWalletTransactionRequest(transaction), cancellationToken)).WalletTransactions;

    /// <summary>The checkout link of a wallet transaction's payment, made by Lago's payment provider.</summary>
    public async Task<string> GetWalletTransactionPaymentUrlAsync(string lagoWalletTransactionId, CancellationToken cancellationToken = default)
    {
        var answer = await SendAsync<LagoWalletTransactionPaymentUrl>(HttpMethod.Post,
            $"wallet_transactions/{Uri.EscapeDataString(lagoWalletTransactionId)}/payment_url", null, cancellationToken);
        return answer.WalletTransactionPaymentDetails?.PaymentUrl is { Length: > 0 } url
            ? url
            : throw new LagoException("Lago answered without a payment URL for the wallet transaction.", 200, null, transient: false);
    }

    /// <summary>Sends one usage event; Lago keeps one event per <c>transaction_id</c>.</summary>
    public async Task<LagoEvent> SendEventAsync(LagoEventInput usage, CancellationToken cancellationToken = default) =>
        (await SendAsync<LagoEventResponse>(HttpMethod.Post, "events", new LagoEventRequest(usage), cancellationToken)).Event;

    /// <summary>One page of the customer's invoices, newest first.</summary>
    public Task<LagoInvoicesPage> ListInvoicesAsync(string externalCustomerId, int page = 1, int perPage = 100, CancellationToken cancellationToken = default) =>
        SendAsync<LagoInvoicesPage>(HttpMethod.Get, string.Create(CultureInfo.InvariantCulture,
            $"invoices?external_customer_id={Uri.EscapeDataString(externalCustomerId)}&page={page}&per_page={perPage}"), null, cancellationToken);

    /// <summary>One invoice with its fees, or null when Lago has none with this id.</summary>
    public async Task<LagoInvoice?> GetInvoiceAsync(string lagoId, CancellationToken cancellationToken = default)
    {
        try
        {
            return (await SendAsync<LagoInvoiceResponse>(HttpMethod.Get, "invoices/" + Uri.EscapeDataString(lagoId), null, cancellationToken)).Invoice;
        }
        catch (LagoException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Asks Lago for the invoice's PDF: the invoice comes back with its <c>file_url</c> once the PDF exists (Lago makes it in
    /// the background, so the first ask may answer without one).
    /// </summary>
    public async Task<LagoInvoice> DownloadInvoiceAsync(string lagoId, CancellationToken cancellationToken = default) =>
        (await SendAsync<LagoInvoiceResponse>(HttpMethod.Post, $"invoices/{Uri.EscapeDataString(lagoId)}/download", null, cancellationToken)).Invoice;

    /// <summary>The public key Lago signs JWT webhooks with: base64 text, as <c>GET /webhooks/json_public_key</c> gives it.</summary>
    public async Task<string> GetWebhookPublicKeyAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync<LagoWebhookPublicKey>(HttpMethod.Get, "webhooks/json_public_key", null, cancellationToken)).Webhook.PublicKey;

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        var payload = body is null ? null : JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), LagoJson.Options);
        var name = $"{method.Method} /{path.Split('?')[0]}";
        for (var attempt = 0; ; attempt++)
        {
            LagoException failure;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(Options.Timeout);
                try
                {
                    using var request = new HttpRequestMessage(method, new Uri(Options.ApiBase(), path));
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Options.ApiKey);
                    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                    if (payload is not null)
                    {
                        request.Content = new ByteArrayContent(payload);
                        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                    }
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
                    if (response.IsSuccessStatusCode)
                        return await response.Content.ReadFromJsonAsync<T>(LagoJson.Options, timeout.Token)
                            ?? throw new LagoException($"Lago answered {name} with an empty body.", (int)response.StatusCode, null, transient: false);
                    failure = await FailureAsync(name, response, timeout.Token);
                }
                catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = new LagoException($"Lago did not answer {name} within {Options.Timeout.TotalSeconds:0.#} s.", null, null, transient: true, e);
                }
                catch (HttpRequestException e)
                {
                    failure = new LagoException($"Lago could not be reached for {name}: {e.Message}", null, null, transient: true, e);
                }
                catch (JsonException e)
                {
                    throw new LagoException($"Lago's answer to {name} is not the JSON expected: {e.Message}", null, null, transient: false, e);
                }
            }
            if (!failure.Transient || attempt >= Options.Retries) throw failure;
            var delay = Options.RetryDelay * Math.Pow(2, attempt);
            logger.LogWarning("Lago {Request} failed ({Error}); try {Next} of {Tries} in {Delay} ms",
                name, failure.Message, attempt + 2, Options.Retries + 1, (int)delay.TotalMilliseconds);
            await Task.Delay(delay, cancellationToken);
        }
    }

    private static async Task<LagoException> FailureAsync(string name, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        LagoError? error = null;
        try { error = JsonSerializer.Deserialize<LagoError>(text, LagoJson.Options); }
        catch (JsonException) { }
        var transient = status >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests || response.StatusCode == HttpStatusCode.RequestTimeout;
        var detail = new StringBuilder($"Lago refused {name}: {status}");
        if (error?.Error is { Length: > 0 } e) detail.Append(' ').Append(e);
        if (error?.Code is { Length: > 0 } c) detail.Append(" (").Append(c).Append(')');
        if (error?.ErrorDetails is { ValueKind: JsonValueKind.Object } d) detail.Append(": ").Append(d.GetRawText());
        else if (error is null && text.Length > 0) detail.Append(": ").Append(text.Length > 300 ? text[..300] : text);
        var details = error?.ErrorDetails is { ValueKind: JsonValueKind.Object or JsonValueKind.Array } raw ? raw.GetRawText() : null;
        return new LagoException(detail.ToString(), status, error?.Code, transient, details: details);
    }
}
