// What is wrong with a value and what to do about it; turned into a Problem once its place is known.
export interface Explanation {
  message: string;
  hint?: string;
}
