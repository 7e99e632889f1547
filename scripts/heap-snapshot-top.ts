/**
 * `node dist/scripts/heap-snapshot-top.js <file.heapsnapshot> [count]`: what a V8 heap snapshot (from
 * `node --heapsnapshot-signal=SIGUSR2`, or `v8.writeHeapSnapshot()`) holds, by self size: per node type
 * (objects, strings, compiled code, ...), the largest object kinds by constructor, compiled code by kind
 * (bytecode, scope infos, ...), and the big strings (mostly the source text of loaded modules). A rough map of where memory goes,
 * not retained sizes.
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

function top(map: Map<string, { size: number; count: number }>, count: number, total: number): string[] {
  return [...map]
    .sort((a, b) => b[1].size - a[1].size)
    .slice(0, count)
    .map(
      ([key, { size, count: n }]) =>
        `  ${((100 * size) / total).toFixed(1).padStart(5)} %  ${(size / 2 ** 20).toFixed(2).padStart(7)} MB  ${String(n).padStart(7)}  ${key}`,
    );
}

function add(map: Map<string, { size: number; count: number }>, key: string, size: number): void {
  const entry = map.get(key) ?? { size: 0, count: 0 };
  entry.size += size;
  entry.count += 1;
  map.set(key, entry);
}

function main(): void {
  const [file, countArg] = process.argv.slice(2);
  if (!file) throw new Error('usage: heap-snapshot-top <file.heapsnapshot> [count]');
  const count = Number(countArg ?? 20);
  const data = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const { node_fields: fields, node_types: nodeTypes } = data.snapshot.meta;
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const types = nodeTypes[0];
  const { nodes, strings } = data;

  const byType = new Map<string, { size: number; count: number }>();
  const byConstructor = new Map<string, { size: number; count: number }>();
  let total = 0;
  const nodeCount = nodes.length / width;
  const byCode = new Map<string, { size: number; count: number }>();
  const bigStrings: { size: number; text: string }[] = [];
  for (let i = 0; i < nodeCount; i += 1) {
    const type = types[nodes[i * width + typeAt]!] ?? '?';
    const name = strings[nodes[i * width + nameAt]!] ?? '';
    const size = nodes[i * width + sizeAt]!;
    total += size;
    add(byType, type, size);
    if (type === 'object') add(byConstructor, name, size);
    if (type === 'code') add(byCode, name.slice(0, 60), size);
    // Module sources stay in the heap as strings: the big strings are mostly them.
    if (type === 'string' && size > 16_384) bigStrings.push({ size, text: name.slice(0, 70).replace(/\s+/g, ' ') });
  }
  console.log(`${file}: ${(total / 2 ** 20).toFixed(1)} MB in ${nodeCount} nodes\n`);
  console.log('by node type (share, MB, nodes):');
  for (const line of top(byType, count, total)) console.log(line);
  console.log('\nobjects by constructor:');
  for (const line of top(byConstructor, count, total)) console.log(line);
  console.log('\ncompiled code and its metadata by kind:');
  for (const line of top(byCode, count, total)) console.log(line);
  const bigTotal = bigStrings.reduce((sum, b) => sum + b.size, 0);
  console.log(`\nstrings over 16 KiB (mostly module sources): ${bigStrings.length}, ${(bigTotal / 2 ** 20).toFixed(1)} MB; the largest:`);
  for (const big of bigStrings.sort((a, b) => b.size - a.size).slice(0, 5))
    console.log(`  ${(big.size / 1024).toFixed(0).padStart(6)} KiB  ${big.text}`);
}

main();
