// The images contract's demo credentials as the hardening tests send them (concurrency, soak).
export const ALICE = 'Bearer alice-demo-token';
export const BOB = 'Bearer bob-demo-token';
