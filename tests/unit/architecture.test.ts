import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The layering docs/architecture.md promises, checked on the source itself.
const root = path.resolve(import.meta.dirname, "../..");

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
}

const code = ["app", "lib", "jobs", "scripts"].flatMap(sourceFiles);

/** Every module a file imports, as written ("@/lib/db/client", "./claim", "zod"). */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(root, file), "utf8");
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g)].map(
    (match) => match[1] ?? match[2],
  );
}

/** An import as a path from the repository root, or null for a package. */
function resolved(file: string, specifier: string): string | null {
  if (specifier.startsWith("@/")) return specifier.slice(2);
  if (specifier.startsWith(".")) return path.join(path.dirname(file), specifier);
  return null;
}

describe("architecture", () => {
  it("reads JOBS_DRIVER in lib/env.ts (validation) and lib/jobs/driver.ts only", () => {
    const readers = code.filter((file) =>
      /\.JOBS_DRIVER\b|\[\s*["']JOBS_DRIVER["']\s*\]/.test(
        // Comments and messages may name the flag; only code that reads it counts.
        readFileSync(path.join(root, file), "utf8")
          .replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "")
          .replace(/`[^`]*`|"[^"\n]*"/g, '""'),
      ),
    );
    expect(readers.sort()).toEqual(["lib/env.ts", "lib/jobs/driver.ts"]);
  });

  it("reaches Inngest's modules only from lib/jobs/inngest, the driver registry and the route Inngest calls", () => {
    const engineImports = code.flatMap((file) =>
      importsOf(file)
        .map((specifier) => resolved(file, specifier))
        .filter((target): target is string => target !== null && /^lib\/jobs\/inngest\//.test(target))
        .map((target) => `${file} -> ${target}`),
    );
    expect(
      engineImports.filter(
        (line) => !/^lib\/jobs\/(inngest\/|driver\.ts)/.test(line) && !line.startsWith("app/api/inngest/route.ts"),
      ),
    ).toEqual([]);
  });

  it("keeps /admin/jobs on the driver interface", () => {
    const adminImports = sourceFiles("app/admin").flatMap((file) =>
      importsOf(file)
        .map((specifier) => resolved(file, specifier))
        .filter((target): target is string => target !== null && /^lib\/jobs\/(postgres|inngest)\//.test(target))
        .map((target) => `${file} -> ${target}`),
    );
    expect(adminImports).toEqual([]);
  });

  it("keeps lib/db and lib/env.ts a floor: they import nothing from the product", () => {
    const floor = [...sourceFiles("lib/db"), "lib/env.ts"];
    const upward = floor.flatMap((file) =>
      importsOf(file)
        .map((specifier) => resolved(file, specifier))
        .filter((target): target is string => target !== null && !/^lib\/(db\/|env$|env\.ts$)/.test(target))
        .map((target) => `${file} -> ${target}`),
    );
    expect(upward).toEqual([]);
  });
});
