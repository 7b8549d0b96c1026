// Push load: N consoles (each its own browser context, so its own Vaadin session) keep Scoville's
// board open while incidents open and resolve through the Alertmanager webhook. Prints the push lag
// from the webhook request to the card appearing (or leaving) in every console's DOM, p50 and p99,
// and the server's CPU and heap per console. Runs the real application jar with the demo shop, so
// the board's tiles update live as they do in the war room.
//
//   node push-load.mjs [--sessions 50] [--minutes 5] [--jar ../../console-ui/target/scoville.jar]
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) =>
  a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs, []));
const SESSIONS = Number(args.sessions ?? 50);
const MINUTES = Number(args.minutes ?? 5);
const JAR = args.jar ?? new URL('../../console-ui/target/scoville.jar', import.meta.url).pathname;
const TOKEN = 'push-load-token';
const PASSWORD = 'push-load-password';

const freePort = () => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; };

function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
}

function heapUsedMiB(pid) {
  execFileSync('jcmd', [String(pid), 'GC.run']);
  const info = execFileSync('jcmd', [String(pid), 'GC.heap_info']).toString();
  // G1 prints one heap line, the serial collector one line per generation: the heap is their sum.
  const used = [...info.matchAll(/(?:heap|generation)\s+total \d+K, used (\d+)K/g)];
  return used.reduce((sum, m) => sum + Number(m[1]), 0) / 1024;
}

async function main() {
  const [uiPort, apiPort] = [await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), 'scoville-push-'));
  // The demo file's own board and shop, plus a webhook token and a user for the consoles.
  const demo = readFileSync(new URL('../../console-ui/src/main/resources/scoville-demo.yaml', import.meta.url), 'utf8')
    .replace(/uiPort: \d+/, `uiPort: ${uiPort}`).replace(/apiPort: \d+/, `apiPort: ${apiPort}`)
    .replace(/url: jdbc:h2:file:\.\/data\/scoville/, `url: jdbc:h2:file:${dir}/scoville`)
    .replace(/http:\/\/127\.0\.0\.1:8081\//g, `http://127.0.0.1:${apiPort}/`);
  writeFileSync(join(dir, 'scoville.yaml'), demo + `
intake:
  token: ${TOKEN}
users:
  - { name: load, password: ${PASSWORD}, role: commander }
`);
  // JVM options given, so Scoville runs in this process (measured below) rather than in a second
  // JVM its launcher would start with the same collector.
  const app = spawn('java', ['-XX:+UseSerialGC', '-Xmx512m', '-jar', JAR, '--config', join(dir, 'scoville.yaml')],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    app.stdout.on('data', (d) => { if (String(d).includes('Scoville is running')) resolve(); });
    app.on('exit', (code) => reject(new Error('Scoville exited with ' + code)));
  });
  const console_ = `http://127.0.0.1:${uiPort}/`;
  const webhook = `http://127.0.0.1:${apiPort}/api/v1/alerts/alertmanager`;
  const idleHeap = heapUsedMiB(app.pid);

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows'],
  });
  const pages = [];
  for (let i = 0; i < SESSIONS; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(console_);
    await page.fill('#vaadinLoginUsername input', 'load');
    await page.fill('#vaadinLoginPassword input', PASSWORD);
    await page.press('#vaadinLoginPassword input', 'Enter');
    await page.waitForSelector('#incidents');
    // When each incident's card appears and leaves, by rule name, in this console's clock (the same machine's).
    await page.evaluate(() => {
      window.appeared = {}; window.left = {};
      let present = new Set();
      const list = document.getElementById('incidents');
      new MutationObserver(() => {
        const now = Date.now();
        const seen = new Set([...list.querySelectorAll('.incident .incident-title')].map((t) => t.textContent));
        seen.forEach((rule) => { if (!(rule in window.appeared)) window.appeared[rule] = now; });
        present.forEach((rule) => { if (!seen.has(rule) && !(rule in window.left)) window.left[rule] = now; });
        present = seen;
      }).observe(list, { childList: true, subtree: true, characterData: true });
    });
    pages.push(page);
  }
  const sessionsHeap = heapUsedMiB(app.pid);
  console.log(`${SESSIONS} consoles open on the board; heap ${idleHeap.toFixed(0)} MiB before, ${sessionsHeap.toFixed(0)} MiB after`);

  const post = (rule, status) => fetch(webhook, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ version: '4', status, alerts: [{ status, labels: { alertname: rule, severity: 'warning' },
      annotations: { summary: `push load ${rule}` }, startsAt: '2026-11-30T00:00:00Z',
      endsAt: status === 'resolved' ? new Date().toISOString() : '0001-01-01T00:00:00Z' }] }),
  }).then((r) => { if (!r.ok) throw new Error(`${rule} ${status}: HTTP ${r.status}`); });

  const sent = { open: {}, resolve: {} };
  const cpuStart = cpuSeconds(app.pid);
  const start = Date.now();
  const end = start + MINUTES * 60_000;
  let n = 0;
  const pending = [];
  while (Date.now() < end) {
    const rule = `PushLoad${n++}`;
    sent.open[rule] = Date.now();
    await post(rule, 'firing');
    pending.push(sleep(4000).then(() => { sent.resolve[rule] = Date.now(); return post(rule, 'resolved'); }));
    await sleep(3000);
  }
  await Promise.all(pending);
  await sleep(5000);
  const cpu = cpuSeconds(app.pid) - cpuStart;
  const window = (Date.now() - start) / 1000;

  const lags = [];
  let missing = 0;
  for (const page of pages) {
    const { appeared, left } = await page.evaluate(() => ({ appeared: window.appeared, left: window.left }));
    for (const [rule, at] of Object.entries(sent.open)) {
      if (appeared[rule] === undefined) missing++; else lags.push(appeared[rule] - at);
    }
    for (const [rule, at] of Object.entries(sent.resolve)) {
      if (left[rule] === undefined) missing++; else lags.push(left[rule] - at);
    }
  }
  console.log(`${n} incidents opened and resolved over ${window.toFixed(0)} s, ${lags.length} changes seen by the consoles, ${missing} not seen`);
  console.log(`push lag from webhook to every console's DOM: p50 ${quantile(lags, 0.5)} ms, p99 ${quantile(lags, 0.99)} ms, max ${Math.max(...lags)} ms`);
  console.log(`server CPU ${(cpu / window).toFixed(2)} cores over the window (${(cpu / window / SESSIONS * 1000).toFixed(1)} millicores per console)`);
  console.log(`server heap ${((sessionsHeap - idleHeap) / SESSIONS).toFixed(2)} MiB per console (after GC, ${SESSIONS} consoles vs none)`);
  await browser.close();
  app.kill('SIGTERM');
}

main().catch((e) => { console.error(e); process.exit(1); });
