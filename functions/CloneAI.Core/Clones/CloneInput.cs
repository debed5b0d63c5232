namespace CloneAI.Core.Clones;

/// <summary>Persona fields of a create or patch; a null member is left as it is.</summary>
public sealed record PersonaInput(
    string? Greeting = null,
    string? Tone = null,
    string? AnswerLength = null,
    string? Instructions = null,
    IReadOnlyList<string>? TopicsToAvoid = null,
    string? DontKnowMessage = null);

/// <summary>Pricing fields of a create or patch; a null member is left as it is, except that the prices can be cleared explicitly.</summary>
public sealed record PricingInput(
    long? PerMinute = null,
    long? PerMessage = null,
    string? Currency = null,
    int? FreeMessages = null,
    bool ClearPerMinute = false,
    bool ClearPerMessage = false);

/// <summary>A create or patch of a clone. On patch, a null member is left as it is.</summary>
public sealed record CloneInput(
    string? Name = null,
    string? Slug = null,
    string? Tagline = null,
    string? Description = null,
    string? Category = null,
    IReadOnlyList<string>? Tags = null,
    PersonaInput? Persona = null,
    PricingInput? Pricing = null);
