import { readFileSync } from 'node:fs';

/**
 * A Dockerfile read the way `docker build` reads it, as far as test/integration/container.test.ts needs:
 * comments and blank lines dropped, `\` continuations joined, one instruction per line with its flags
 * (`--from=build`, `--mount=…`) apart from its arguments. Exec-form arguments (`["node", "x.js"]`) are
 * parsed as JSON; the shell form is kept as one string.
 */
export interface Instruction {
  keyword: string;
  flags: Record<string, string>;
  /** Words of the shell form, or the items of the exec form. */
  args: string[];
  /** What followed the keyword and flags, as written. */
  raw: string;
  /** Whether `args` came from the JSON exec form. */
  exec: boolean;
}

export interface Stage {
  /** The FROM image, e.g. node:24-bookworm-slim. */
  image: string;
  name: string | undefined;
  instructions: Instruction[];
}

export function readDockerfile(path: string): Stage[] {
  const logical: string[] = [];
  let current = '';
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (current === '' && /^\s*(#|$)/.test(line)) continue;
    if (current !== '' && /^\s*#/.test(line)) continue; // a comment inside a continuation
    if (/\\\s*$/.test(line)) {
      current += `${line.replace(/\\\s*$/, '')} `;
      continue;
    }
    logical.push((current + line).trim());
    current = '';
  }

  const stages: Stage[] = [];
  for (const text of logical) {
    const instruction = parseInstruction(text);
    if (instruction.keyword === 'FROM') {
      const [image = '', as, name] = instruction.args;
      stages.push({ image, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`${path}: ${instruction.keyword} before FROM`);
    stage.instructions.push(instruction);
  }
  return stages;
}

function parseInstruction(text: string): Instruction {
  const match = /^(\S+)\s*(.*)$/.exec(text);
  const keyword = (match?.[1] ?? '').toUpperCase();
  let rest = match?.[2] ?? '';
  const flags: Record<string, string> = {};
  for (let flag = /^--([\w-]+)=(\S+)\s*/.exec(rest); flag; flag = /^--([\w-]+)=(\S+)\s*/.exec(rest)) {
    flags[flag[1] ?? ''] = flag[2] ?? '';
    rest = rest.slice(flag[0].length);
  }
  // HEALTHCHECK's own options stand before its CMD.
  const exec = /^(CMD\s+)?\[/.test(rest) && keyword !== 'ENV';
  if (exec) {
    const json = rest.replace(/^CMD\s+/, '');
    return { keyword, flags, args: JSON.parse(json) as string[], raw: rest, exec: true };
  }
  return { keyword, flags, args: rest.split(/\s+/).filter(Boolean), raw: rest, exec: false };
}

/** `ENV A=1 B=2` or `ENV A 1`. */
export function envOf(instruction: Instruction): Record<string, string> {
  if (!instruction.raw.includes('=')) {
    const [name = '', ...value] = instruction.args;
    return { [name]: value.join(' ') };
  }
  return Object.fromEntries(
    instruction.args.map((pair) => {
      const at = pair.indexOf('=');
      return [pair.slice(0, at), pair.slice(at + 1).replace(/^"(.*)"$/, '$1')];
    }),
  );
}

/** The instructions of one keyword in a stage. */
export function all(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => i.keyword === keyword);
}
