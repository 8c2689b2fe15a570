// A value made on first use (a module loaded with import(), a client built from it),
// then shared. A failure is not kept: the next caller tries again, so a passing glitch
// does not break the feature until the process restarts.
export function lazy<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make().catch((error: unknown) => {
    made = undefined;
    throw error;
  }));
}
