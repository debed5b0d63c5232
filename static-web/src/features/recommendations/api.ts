// Recommendations: clones for the signed-in user with a reason each, and questions to open the next session with a clone.
import type { components, paths } from "../../api/schema";
import { createApiClient, data } from "../../api/typed";

type Schemas = components["schemas"];
export type Recommendations = Schemas["RecommendationsResponse"];
export type Recommendation = Schemas["Recommendation"];
export type NextQuestions = Schemas["NextQuestionsResponse"];
export type NextQuestion = Schemas["NextQuestion"];

const typed = createApiClient<paths>();

export const recommendationsApi = {
  mine: (limit: number) => data(typed.GET("/api/me/recommendations", { params: { query: { limit } } })),
  nextQuestions: (idOrSlug: string) => data(typed.GET("/api/me/clones/{id}/next-questions", { params: { path: { id: idOrSlug } } })),
};
