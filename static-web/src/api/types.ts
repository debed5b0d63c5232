// Shapes of the CloneAI HTTP API (JSON, camelCase). Prices are integer minor units.

export type AuthMode = "local" | "entra";

export interface AppConfig {
  authMode: AuthMode;
  version: string;
  features: Record<string, unknown>;
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export interface SignupResult {
  id: string;
  email: string;
  displayName: string;
  emailVerified: boolean;
}

export interface Me {
  id: string;
  email: string;
  displayName: string;
  bio: string;
  expertise: string[];
  timezone: string;
  roles: string[];
  isCreator: boolean;
  isAdmin: boolean;
  emailVerified: boolean;
  avatarUrl: string | null;
  createdAt: string;
}

export interface ProfileUpdate {
  displayName?: string;
  bio?: string;
  expertise?: string[];
  timezone?: string;
}

export interface Category {
  id: string;
  name: string;
}

export const TONES = ["friendly", "professional", "casual", "academic", "playful", "direct"] as const;
export type Tone = (typeof TONES)[number];

export const ANSWER_LENGTHS = ["short", "medium", "long"] as const;
export type AnswerLength = (typeof ANSWER_LENGTHS)[number];

export const CURRENCIES = ["USD", "EUR", "GBP", "CAD", "AUD", "JPY", "INR"] as const;
export type Currency = (typeof CURRENCIES)[number];

export type CloneStatus = "draft" | "published";

export interface Persona {
  greeting: string;
  tone: Tone;
  answerLength: AnswerLength;
  instructions: string;
  topicsToAvoid: string[];
  dontKnowMessage: string;
}

export interface Pricing {
  perMinute: number | null;
  perMessage: number | null;
  currency: Currency;
  freeMessages: number;
}

export interface Clone {
  id: string;
  slug: string;
  name: string;
  tagline: string;
  description: string;
  category: string;
  tags: string[];
  status: CloneStatus;
  ownerId: string;
  ownerName: string;
  avatarUrl: string | null;
  persona: Persona;
  pricing: Pricing;
  rating: number;
  ratingCount: number;
  sessionCount: number;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
}

export interface CloneInput {
  name?: string;
  slug?: string;
  tagline?: string;
  description?: string;
  category?: string;
  tags?: string[];
  persona?: Partial<Persona>;
  pricing?: Partial<Pricing>;
}

export interface Page<T> {
  items: T[];
  continuationToken: string | null;
}

export const SORTS = ["popular", "rating", "newest", "price"] as const;
export type Sort = (typeof SORTS)[number];

export interface CloneQuery {
  q?: string;
  category?: string;
  minPrice?: number;
  maxPrice?: number;
  minRating?: number;
  sort?: Sort;
  pageSize?: number;
  continuationToken?: string;
}

export interface Health {
  status: string;
  version: string;
  store: string;
}
