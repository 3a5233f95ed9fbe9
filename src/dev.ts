import { spawn } from 'node:child_process';
import { join } from 'node:path';

// `npm run dev`: the bot exactly as `npm start` runs it, plus the Microsoft 365 Agents Playground connected to it.
// Both stop together on Ctrl-C.

const port = process.env.PORT ?? '3978';
const bin = join(__dirname, '..', '..', 'node_modules', '.bin', 'agentsplayground');

const bot = spawn(process.execPath, [join(__dirname, 'index.js')], { stdio: 'inherit', env: { ...process.env, PORT: port } });

let playground: ReturnType<typeof spawn> | undefined;
// Give the bot a moment to bind its port so the Playground's first install activity reaches it.
const waitForBot = async () => {
  for (let i = 0; i < 120; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.ok) return true;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
};

void waitForBot().then((up) => {
  if (!up) {
    process.stderr.write('aib-chatops dev: the bot did not come up within 60 s; not starting the Playground\n');
    return;
  }
  playground = spawn(bin, ['start', '-e', `http://127.0.0.1:${port}/api/messages`, '-c', 'msteams'], {
    stdio: 'inherit',
    env: { ...process.env },
  });
  process.stderr.write('aib-chatops dev: Agents Playground on http://localhost:56150 (set TEAMSAPPTESTER_BROWSER=none to keep it from opening a browser)\n');
  playground.on('exit', (code) => {
    if (code) process.stderr.write(`aib-chatops dev: the Playground exited with ${code}\n`);
  });
});

const stop = () => {
  playground?.kill('SIGTERM');
  bot.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
bot.on('exit', (code) => {
  playground?.kill('SIGTERM');
  process.exit(code ?? 0);
});
