// The clone editor's form state and its conversion to and from the API's shapes.
import { ApiError, type FieldErrors } from "../../api/http";
import {
  ANSWER_LENGTHS,
  CURRENCIES,
  TONES,
  type AnswerLength,
  type Clone,
  type CloneInput,
  type Currency,
  type Tone,
} from "../../api/contract";
import { splitList } from "../../lib/format";
import { toMajorInput, toMinor } from "../../lib/money";

export interface CloneForm {
  name: string;
  slug: string;
  tagline: string;
  description: string;
  category: string;
  tags: string;
  greeting: string;
  tone: Tone;
  answerLength: AnswerLength;
  instructions: string;
  topicsToAvoid: string;
  dontKnowMessage: string;
  perMinute: string;
  perMessage: string;
  currency: Currency;
  freeMessages: string;
}

export const LIMITS = {
  name: 80,
  tagline: 140,
  description: 5000,
  tags: 10,
  tag: 30,
  greeting: 500,
  instructions: 4000,
  dontKnow: 500,
  freeMessages: 1000,
  maxPrice: 10_000_000,
} as const;

export const EMPTY_FORM: CloneForm = {
  name: "",
  slug: "",
  tagline: "",
  description: "",
  category: "",
  tags: "",
  greeting: "",
  tone: "friendly",
  answerLength: "medium",
  instructions: "",
  topicsToAvoid: "",
  dontKnowMessage: "I don't know that from what I have been given.",
  perMinute: "",
  perMessage: "",
  currency: "USD",
  freeMessages: "0",
};

function oneOf<T extends string>(values: readonly T[], value: string | undefined, fallback: T): T {
  return values.includes(value as T) ? (value as T) : fallback;
}

export function formFromClone(clone: Clone): CloneForm {
  const currency = oneOf(CURRENCIES, clone.pricing?.currency, "USD");
  return {
    name: clone.name ?? "",
    slug: clone.slug ?? "",
    tagline: clone.tagline ?? "",
    description: clone.description ?? "",
    category: clone.category ?? "",
    tags: (clone.tags ?? []).join(", "),
    greeting: clone.persona?.greeting ?? "",
    tone: oneOf(TONES, clone.persona?.tone, "friendly"),
    answerLength: oneOf(ANSWER_LENGTHS, clone.persona?.answerLength, "medium"),
    instructions: clone.persona?.instructions ?? "",
    topicsToAvoid: (clone.persona?.topicsToAvoid ?? []).join("\n"),
    dontKnowMessage: clone.persona?.dontKnowMessage ?? "",
    perMinute: toMajorInput(clone.pricing?.perMinute, currency),
    perMessage: toMajorInput(clone.pricing?.perMessage, currency),
    currency,
    freeMessages: String(clone.pricing?.freeMessages ?? 0),
  };
}

/**
 * Turns the form into a create (no `original`) or patch body. Checks what can be checked here and throws
 * an ApiError-shaped 400 with per-field errors, so the form shows local and server errors the same way.
 */
export function inputFromForm(form: CloneForm, original: Clone | null): CloneInput {
  const errors: FieldErrors = {};
  const add = (key: string, message: string) => (errors[key] ??= []).push(message);

  const name = form.name.trim();
  if (name.length < 2) add("name", "Give your clone a name (at least 2 characters).");
  if (!form.category) add("category", "Pick a category.");
  const slug = form.slug.trim().toLowerCase();
  if (slug && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug)) add("slug", "Use lowercase letters, digits and single dashes.");

  const tags = splitList(form.tags);
  if (tags.length > LIMITS.tags) add("tags", `At most ${LIMITS.tags} tags.`);
  if (tags.some((t) => t.length > LIMITS.tag)) add("tags", `Each tag needs at most ${LIMITS.tag} characters.`);

  const perMinute = toMinor(form.perMinute, form.currency);
  const perMessage = toMinor(form.perMessage, form.currency);
  for (const [key, value] of [
    ["pricing.perMinute", perMinute],
    ["pricing.perMessage", perMessage],
  ] as const) {
    if (value !== null && (Number.isNaN(value) || value > LIMITS.maxPrice)) add(key, "Enter an amount such as 0.50.");
  }
  const free = form.freeMessages.trim() === "" ? 0 : Number(form.freeMessages);
  if (!Number.isInteger(free) || free < 0 || free > LIMITS.freeMessages) {
    add("pricing.freeMessages", `Enter a whole number from 0 to ${LIMITS.freeMessages}.`);
  }

  if (Object.keys(errors).length) {
    throw new ApiError({ status: 400, title: "Some fields need attention", detail: "", errors });
  }

  const input: CloneInput = {
    name,
    tagline: form.tagline.trim(),
    description: form.description.trim(),
    category: form.category,
    tags,
    persona: {
      greeting: form.greeting.trim(),
      tone: form.tone,
      answerLength: form.answerLength,
      instructions: form.instructions.trim(),
      topicsToAvoid: splitList(form.topicsToAvoid),
      dontKnowMessage: form.dontKnowMessage.trim(),
    },
    pricing: { currency: form.currency, freeMessages: free },
  };
  if (original) {
    // A patch: send null to clear a price.
    input.pricing = { ...input.pricing, perMinute: perMinute, perMessage: perMessage };
    if (slug && slug !== original.slug) input.slug = slug;
  } else {
    if (perMinute !== null) input.pricing = { ...input.pricing, perMinute };
    if (perMessage !== null) input.pricing = { ...input.pricing, perMessage };
    if (slug) input.slug = slug;
  }
  return input;
}

/** Every error key the editor shows next to a field; the others go in the summary. */
export const FORM_FIELDS = [
  "name",
  "slug",
  "tagline",
  "description",
  "category",
  "tags",
  "persona.greeting",
  "persona.tone",
  "persona.answerLength",
  "persona.instructions",
  "persona.topicsToAvoid",
  "persona.dontKnowMessage",
  "pricing",
  "pricing.perMinute",
  "pricing.perMessage",
  "pricing.currency",
  "pricing.freeMessages",
  "file",
];

/**
 * The currencies a clone's price may be set in: only the platform currency (the wallet's; the API refuses any other), plus the
 * clone's own when an older clone is priced otherwise, so the form shows it until it is changed. Every currency until the
 * platform currency is known.
 */
export function currencyChoices(platformCurrency: string | undefined, current: string): (typeof CURRENCIES)[number][] {
  return platformCurrency ? CURRENCIES.filter((c) => c === platformCurrency || c === current) : [...CURRENCIES];
}
