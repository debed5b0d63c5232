using System.Collections.Concurrent;
using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;

namespace CloneAI.Local.AI;

/// <summary>
/// Sentence embeddings from an ONNX BERT-style model in process (<see cref="OnnxEmbeddingModel.ArcticXs"/> by default).
/// Each call tokenizes its inputs with the model's WordPiece tokenizer (truncating at the model's 512 tokens), sorts
/// them by length and runs batches of similar length padded only to the batch's longest row, into reused buffers, on
/// one shared <see cref="InferenceSession"/>. Vectors are pooled as the model was trained (CLS or mean) and
/// L2-normalised. Thread-safe; model runs are serialised (<see cref="OnnxEmbeddingGeneratorOptions.MaxConcurrentRuns"/>)
/// because each one already uses every core.
/// </summary>
public sealed class OnnxEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string ProviderName = "onnx-local";

    private readonly OnnxEmbeddingModel _model;
    private readonly OnnxEmbeddingGeneratorOptions _options;
    private readonly SessionOptions _sessionOptions;
    private readonly InferenceSession _session;
    private readonly SemaphoreSlim _runs;

    private readonly ConcurrentBag<RunBuffers> _buffers = [];
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly int _dimensions;
    private readonly int _maxBatchTokens;
    private int _disposed;

    public OnnxEmbeddingGenerator(OnnxEmbeddingModel? model = null, OnnxEmbeddingGeneratorOptions? options = null)
    {
        _model = model ?? OnnxEmbeddingModel.ArcticXs;
        _options = options ?? new OnnxEmbeddingGeneratorOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxConcurrentRuns, 1);
        _maxBatchTokens = Math.Max(_options.MaxBatchTokens, _model.MaxTokens);
        _dimensions = _model.Dimensions;

        _sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = _options.ResolvedIntraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", _options.AllowSpinning ? "1" : "0");
        try
        {
            _session = new InferenceSession(_model.LoadModelBytes(), _sessionOptions);
        }
        catch
        {
            _sessionOptions.Dispose();
            throw;
        }

        string[] known = ["input_ids", "attention_mask", "token_type_ids"];
        foreach (var name in _session.InputMetadata.Keys)
        {
            if (!known.Contains(name)) throw new NotSupportedException($"Model {_model.ModelId} has an unexpected input '{name}'.");
        }
        _inputNames = [.. known.Where(_session.InputMetadata.ContainsKey)];
        _outputNames = [_session.OutputMetadata.ContainsKey("last_hidden_state") ? "last_hidden_state" : _session.OutputMetadata.Keys.First()];
        _runs = new SemaphoreSlim(_options.MaxConcurrentRuns, _options.MaxConcurrentRuns);
        Metadata = new EmbeddingGeneratorMetadata(ProviderName, defaultModelId: _model.ModelId, defaultModelDimensions: _dimensions);
    }

    public EmbeddingGeneratorMetadata Metadata { get; }

    public OnnxEmbeddingModel Model => _model;

    /// <summary>The model's WordPiece tokenizer (the same instance for every generator of this model).</summary>
    public Tokenizer Tokenizer => _model.Tokenizer;

    public int IntraOpThreads => _options.ResolvedIntraOpThreads;

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (options?.Dimensions is { } requested && requested != _dimensions)
        {
            throw new NotSupportedException($"{_model.ModelId} produces {_dimensions}-dimensional vectors, not {requested}.");
        }
        var texts = values as IReadOnlyList<string> ?? [.. values];
        var created = DateTimeOffset.UtcNow;
        long tokens = 0;
        float[][] vectors = [];
        if (texts.Count > 0)
        {
            // CPU-bound: tokenize off the caller's thread, then wait for each model run asynchronously, so that concurrent
            // callers (one per ingestion activity, and queries) hold no pool thread while queued, and take turns run by run:
            // a query waits for one batch, not for a whole ingestion call.
            var ids = await Task.Run(() => TokenizeAll(texts, out tokens), cancellationToken);
            var order = LengthOrder(ids);
            vectors = new float[ids.Length][];
            var start = 0;
            while (start < order.Length)
            {
                var (width, rows) = NextBatch(ids, order, start);
                await _runs.WaitAsync(cancellationToken);
                try
                {
                    ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
                    var from = start;
                    await Task.Run(() => RunBatch(ids, order.AsSpan(from, rows), width, vectors, cancellationToken), cancellationToken);
                }
                finally
                {
                    _runs.Release();
                }
                start += rows;
            }
        }
        var result = new GeneratedEmbeddings<Embedding<float>>(vectors.Length)
        {
            Usage = new UsageDetails { InputTokenCount = tokens, TotalTokenCount = tokens },
        };
        foreach (var vector in vectors) result.Add(new Embedding<float>(vector) { ModelId = _model.ModelId, CreatedAt = created });
        return result;
    }

    /// <summary>Embeds <paramref name="texts"/> on the calling thread; L2-normalised vectors in input order.</summary>
    public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default) => Embed(texts, out _, cancellationToken);

    /// <inheritdoc cref="Embed(IReadOnlyList{string}, CancellationToken)"/>
    public float[][] Embed(IReadOnlyList<string> texts, out long tokenCount, CancellationToken cancellationToken = default) =>
        EmbedTokenized(TokenizeAll(texts, out tokenCount), cancellationToken);

    private int[][] TokenizeAll(IReadOnlyList<string> texts, out long tokenCount)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var ids = new int[texts.Count][];
        tokenCount = 0;
        for (var i = 0; i < texts.Count; i++)
        {
            ids[i] = Tokenize(texts[i] ?? throw new ArgumentException("A text is null.", nameof(texts)));
            tokenCount += ids[i].Length;
        }
        return ids;
    }

    /// <summary>[CLS] tokens [SEP], truncated to the model's MaxTokens.</summary>
    public int[] Tokenize(string text)
    {
        var encoded = _model.Tokenizer.EncodeToIds(text, _model.MaxTokens, addSpecialTokens: true, out _, out _);
        return encoded as int[] ?? [.. encoded];
    }

    /// <summary>Embeds already tokenized inputs (each [CLS] ... [SEP], at most MaxTokens long), on the calling thread.</summary>
    public float[][] EmbedTokenized(IReadOnlyList<int[]> inputs, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var vectors = new float[inputs.Count][];
        var order = LengthOrder(inputs);
        var start = 0;
        while (start < order.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (width, rows) = NextBatch(inputs, order, start);
            _runs.Wait(cancellationToken);
            try
            {
                ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
                RunBatch(inputs, order.AsSpan(start, rows), width, vectors, cancellationToken);
            }
            finally
            {
                _runs.Release();
            }
            start += rows;
        }
        return vectors;
    }

    /// <summary>
    /// Input indexes longest first, so that each batch pads to its own first row and the rows of a batch have similar lengths
    /// (no padding is wasted on mixed lengths).
    /// </summary>
    private int[] LengthOrder(IReadOnlyList<int[]> inputs)
    {
        var order = new int[inputs.Count];
        for (var i = 0; i < order.Length; i++)
        {
            if (inputs[i].Length is 0 || inputs[i].Length > _model.MaxTokens)
            {
                throw new ArgumentException($"Input {i} has {inputs[i].Length} tokens; 1 to {_model.MaxTokens} are allowed.", nameof(inputs));
            }
            order[i] = i;
        }
        Array.Sort(order, (a, b) => inputs[b].Length != inputs[a].Length ? inputs[b].Length.CompareTo(inputs[a].Length) : a.CompareTo(b));
        return order;
    }

    /// <summary>The padded width and row count of the batch starting at <paramref name="start"/> of <paramref name="order"/>.</summary>
    private (int Width, int Rows) NextBatch(IReadOnlyList<int[]> inputs, int[] order, int start)
    {
        var width = inputs[order[start]].Length;
        return (width, Math.Min(Math.Min(_options.MaxBatchSize, _maxBatchTokens / width), order.Length - start));
    }

    /// <summary>One model run over <paramref name="rows"/> (the caller holds the run gate).</summary>
    private void RunBatch(IReadOnlyList<int[]> inputs, ReadOnlySpan<int> rows, int width, float[][] vectors, CancellationToken cancellationToken)
    {
        var cells = rows.Length * width;
        var buffers = _buffers.TryTake(out var pooled) ? pooled : new RunBuffers(_maxBatchTokens, _dimensions);
        try
        {
            var ids = buffers.Ids.AsSpan(0, cells);
            var mask = buffers.Mask.AsSpan(0, cells);
            for (var r = 0; r < rows.Length; r++)
            {
                var tokens = inputs[rows[r]];
                var idRow = ids.Slice(r * width, width);
                var maskRow = mask.Slice(r * width, width);
                for (var t = 0; t < tokens.Length; t++) idRow[t] = tokens[t];
                idRow[tokens.Length..].Clear(); // [PAD] is id 0
                maskRow[..tokens.Length].Fill(1);
                maskRow[tokens.Length..].Clear();
            }

            long[] shape = [rows.Length, width];
            var info = OrtMemoryInfo.DefaultInstance;
            using var idsValue = OrtValue.CreateTensorValueFromMemory(info, buffers.Ids.AsMemory(0, cells), shape);
            using var maskValue = OrtValue.CreateTensorValueFromMemory(info, buffers.Mask.AsMemory(0, cells), shape);
            using var typesValue = OrtValue.CreateTensorValueFromMemory(info, buffers.TokenTypes.AsMemory(0, cells), shape);
            using var hiddenValue = OrtValue.CreateTensorValueFromMemory(info, buffers.Hidden.AsMemory(0, cells * _dimensions),
                [rows.Length, width, _dimensions]);
            var inputValues = new OrtValue[_inputNames.Length];
            for (var i = 0; i < _inputNames.Length; i++)
            {
                inputValues[i] = _inputNames[i] switch { "input_ids" => idsValue, "attention_mask" => maskValue, _ => typesValue };
            }

            using (var runOptions = new RunOptions())
            {
                _session.Run(runOptions, _inputNames, inputValues, _outputNames, [hiddenValue]);
            }

            var hidden = buffers.Hidden.AsSpan(0, cells * _dimensions);
            for (var r = 0; r < rows.Length; r++)
            {
                var length = inputs[rows[r]].Length;
                var rowHidden = hidden.Slice(r * width * _dimensions, width * _dimensions);
                var vector = new float[_dimensions];
                if (_model.Pooling == OnnxPooling.Cls)
                {
                    rowHidden[.._dimensions].CopyTo(vector);
                }
                else
                {
                    for (var t = 0; t < length; t++) TensorPrimitives.Add(vector, rowHidden.Slice(t * _dimensions, _dimensions), vector);
                    TensorPrimitives.Divide(vector, length, vector);
                }
                var norm = TensorPrimitives.Norm<float>(vector);
                if (norm > 0) TensorPrimitives.Divide(vector, norm, vector);
                vectors[rows[r]] = vector;
            }
        }
        finally
        {
            _buffers.Add(buffers);
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null) return null;
        if (serviceType == typeof(EmbeddingGeneratorMetadata)) return Metadata;
        if (serviceType.IsInstanceOfType(this)) return this;
        if (serviceType == typeof(OnnxEmbeddingModel)) return _model;
        return serviceType.IsInstanceOfType(_model.Tokenizer) ? _model.Tokenizer : null;
    }

    /// <summary>
    /// Waits (up to a minute) for the runs in flight to finish before freeing the native session: a host that stops while
    /// embedding must not pull the model out from under a run. Callers still queued then fail with ObjectDisposedException.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        var held = 0;
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (held < _options.MaxConcurrentRuns && _runs.Wait(Math.Max(0, (int)(deadline - DateTime.UtcNow).TotalMilliseconds))) held++;
        if (held < _options.MaxConcurrentRuns) return; // a run is stuck: leaking the session is better than crashing the process
        _session.Dispose();
        _sessionOptions.Dispose();
        _runs.Release(held); // queued callers wake up, see the generator is disposed, and throw
    }

    /// <summary>Input and output buffers for one run, sized for the largest batch and reused across runs.</summary>
    private sealed class RunBuffers(int maxTokens, int dimensions)
    {
        public long[] Ids { get; } = new long[maxTokens];

        public long[] Mask { get; } = new long[maxTokens];

        public long[] TokenTypes { get; } = new long[maxTokens];

        public float[] Hidden { get; } = new float[(long)maxTokens * dimensions];
    }
}
