// negotiator 0.6 ships no types: the one method the mock calls.
declare module 'negotiator' {
  export default class Negotiator {
    constructor(request: { headers: Record<string, string | undefined> });
    /** The available media types the Accept header takes, most preferred first. */
    mediaTypes(available?: string[]): string[];
  }
}
