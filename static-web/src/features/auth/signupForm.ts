export const MIN_PASSWORD = 10;

export interface SignupInput {
  displayName: string;
  email: string;
  password: string;
  acceptTerms: boolean;
}

/** The errors the form can tell before asking the API, per field (the API checks again, and more). */
export function signupErrors(input: SignupInput): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  if (!input.displayName.trim()) errors.displayName = ["Enter the name people will see."];
  if (!input.email.trim()) errors.email = ["Enter your email address."];
  if (input.password.length < MIN_PASSWORD) errors.password = [`Use at least ${MIN_PASSWORD} characters.`];
  if (!input.acceptTerms) errors.acceptTerms = ["Accept the Terms and the Privacy notice to create an account."];
  return errors;
}
