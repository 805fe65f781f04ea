/**
 * Which PostgreSQL storage for the BlobStore's PDFs (adapters/postgres-blob-store.ts): a `bytea`
 * column or a large object. Writes and reads 1 MB and 15 MB PDFs-like payloads (random bytes: a PDF's
 * streams are compressed already, so TOAST compression finds nothing to gain either way) through
 * node-postgres on a real local server (dev/local/postgres-server.ts), and prints median times and
 * ratios. Each write commits (fsync on), as the store's writes do.
 *
 *   npx tsx test/bench/blob-store-pg.ts [--rounds N]
 *
 * Variants:
 * - bytea          INSERT a Buffer parameter (node-pg sends it in binary), SELECT the column (hex text)
 * - bytea-external the column with STORAGE EXTERNAL (no compression attempt)
 * - lo             lo_from_bytea on write, lo_get on read: the large-object facility through its server
 *                  functions, one round trip each, as the store would use it
 *
 * Results come back as hex text whatever the storage: node-postgres (8.x) decodes every result field
 * as a UTF-8 string, so its `binary: true` results corrupt bytea (tried: the bytes read back differ).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { startPostgres } from '../../dev/local/postgres-server';

type Variant = 'bytea' | 'bytea-external' | 'lo';
const VARIANTS: Variant[] = ['bytea', 'bytea-external', 'lo'];
const SIZES = [1, 15];

function parseRounds(argv: string[]): number {
  const i = argv.indexOf('--rounds');
  const n = i >= 0 ? Number(argv[i + 1]) : 7;
  if (!Number.isInteger(n) || n < 1) throw new Error('--rounds takes a positive integer');
  return n;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function setUp(client: pg.Client): Promise<void> {
  await client.query('CREATE TABLE bench_bytea (id serial PRIMARY KEY, bytes bytea NOT NULL)');
  await client.query('CREATE TABLE bench_bytea_ext (id serial PRIMARY KEY, bytes bytea NOT NULL)');
  await client.query('ALTER TABLE bench_bytea_ext ALTER COLUMN bytes SET STORAGE EXTERNAL');
  await client.query('CREATE TABLE bench_lo (id serial PRIMARY KEY, lo oid NOT NULL)');
}

async function write(client: pg.Client, v: Variant, data: Buffer): Promise<number> {
  if (v === 'lo') return (await client.query<{ id: number }>('INSERT INTO bench_lo (lo) VALUES (lo_from_bytea(0, $1)) RETURNING id', [data])).rows[0]!.id;
  const table = v === 'bytea-external' ? 'bench_bytea_ext' : 'bench_bytea';
  return (await client.query<{ id: number }>(`INSERT INTO ${table} (bytes) VALUES ($1) RETURNING id`, [data])).rows[0]!.id;
}

async function read(client: pg.Client, v: Variant, id: number): Promise<Buffer> {
  const text = v === 'lo' ? 'SELECT lo_get(lo) AS bytes FROM bench_lo WHERE id = $1' : `SELECT bytes FROM ${v === 'bytea-external' ? 'bench_bytea_ext' : 'bench_bytea'} WHERE id = $1`;
  return (await client.query<{ bytes: Buffer }>(text, [id])).rows[0]!.bytes;
}

/** One round writes and reads each variant in turn, so the machine's load (shared, drifting) weighs on all alike. */
async function measure(client: pg.Client, mb: number, rounds: number): Promise<Map<Variant, { write: number; read: number }>> {
  const times = new Map(VARIANTS.map((v) => [v, { writes: [] as number[], reads: [] as number[] }]));
  for (let r = 0; r < rounds; r++) {
    const data = randomBytes(mb * 1024 * 1024);
    for (const v of VARIANTS) {
      const t = times.get(v)!;
      let start = performance.now();
      const id = await write(client, v, data);
      t.writes.push(performance.now() - start);
      start = performance.now();
      const back = await read(client, v, id);
      t.reads.push(performance.now() - start);
      if (!back.equals(data)) throw new Error(`${v}: read back other bytes`);
    }
  }
  return new Map(VARIANTS.map((v) => [v, { write: median(times.get(v)!.writes), read: median(times.get(v)!.reads) }]));
}

async function main(): Promise<void> {
  const rounds = parseRounds(process.argv.slice(2));
  const server = await startPostgres();
  const client = new pg.Client({ connectionString: await server.createDatabase() });
  try {
    await client.connect();
    await setUp(client);
    const results: Record<string, { write: number; read: number }> = {};
    for (const mb of SIZES) {
      for (const [v, r] of await measure(client, mb, rounds)) results[`${v}@${mb}`] = r;
    }
    console.log(`median of ${rounds} rounds, ms (write = insert + commit, read = select to a Buffer)`);
    for (const mb of SIZES) {
      const base = results[`bytea@${mb}`]!;
      for (const v of VARIANTS) {
        const r = results[`${v}@${mb}`]!;
        console.log(`${String(mb).padStart(2)} MB ${v.padEnd(15)} write ${r.write.toFixed(1).padStart(7)}  read ${r.read.toFixed(1).padStart(7)}   vs bytea: write x${(r.write / base.write).toFixed(2)}  read x${(r.read / base.read).toFixed(2)}`);
      }
    }
  } finally {
    await client.end().catch(() => undefined);
    await server.stop({ removeDir: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
