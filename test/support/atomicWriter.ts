// Child process for the atomic-write test: rewrites the target over and over with whole, self-checking content.
import { writeFileAtomic } from '../../src/core/fs/atomicWrite';

const target = process.argv[2];
let generation = 0;
async function loop(): Promise<void> {
  for (;;) {
    generation++;
    const body = `${generation}:`.padEnd(200_000 + (generation % 7) * 10_000, String(generation % 10));
    await writeFileAtomic(target, async (write) => {
      for (let at = 0; at < body.length; at += 4096) await write(body.slice(at, at + 4096));
      await write(`|end:${generation}`);
    });
    if (generation === 1) process.stdout.write('ready\n');
  }
}
void loop();
