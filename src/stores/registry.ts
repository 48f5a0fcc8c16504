/** Every store registers its reset here, so tests (and sign-out) can start from a clean slate. */
const resets = new Set<() => void>();

export function registerReset(reset: () => void): void {
  resets.add(reset);
}

export function resetAllStores(): void {
  resets.forEach((reset) => reset());
}
