/**
 * The compiled CLI entry under `outDir` (default `<root>/out/cli`) when every source recorded
 * in its `sources.json` is unchanged since the build; undefined otherwise.
 */
export function builtCliEntry(root: string, outDir?: string): string | undefined
