using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CloneAI.Core;

/// <summary>
/// The app's own traces and metrics, named <see cref="Name"/>. They cost nothing until a listener subscribes: in Azure the
/// Functions host exports them with OpenTelemetry to Application Insights when its connection string is set.
/// </summary>
public static class Telemetry
{
    public const string Name = "CloneAI";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>Answers given, by kind (extractive, model, dontKnow).</summary>
    public static readonly Counter<long> Answers = Meter.CreateCounter<long>("cloneai.chat.answers", "{answer}", "Answers given in chat sessions");

    /// <summary>Time from receiving a question to its first streamed text.</summary>
    public static readonly Histogram<double> FirstDelta = Meter.CreateHistogram<double>("cloneai.chat.first_delta", "ms", "Time to the first streamed text of an answer");

    /// <summary>Documents that finished ingestion, by outcome (ready, failed).</summary>
    public static readonly Counter<long> DocumentsIngested = Meter.CreateCounter<long>("cloneai.knowledge.documents_ingested", "{document}", "Documents that finished ingestion");
}
