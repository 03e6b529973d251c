'use strict';

// Everything shown here comes from outside (profiles, dead letters, error messages): it is only ever set as text,
// never as HTML.

const state = { previous: null, operationsEnabled: false, reason: '' };

function byId(id) {
  return document.getElementById(id);
}

function text(id, value) {
  byId(id).textContent = value;
}

function millis(value) {
  return value >= 1000 ? (value / 1000).toFixed(1) + ' s' : value + ' ms';
}

function count(value) {
  return Math.round(value).toLocaleString('en');
}

function time(instant) {
  return instant ? new Date(instant).toLocaleTimeString('en-GB') : '–';
}

function cell(content, className) {
  const td = document.createElement('td');
  if (content instanceof Node) {
    td.appendChild(content);
  } else {
    td.textContent = content;
  }
  if (className) {
    td.className = className;
  }
  return td;
}

function replaceRows(id, rows, emptyText, columns) {
  const body = byId(id);
  body.replaceChildren();
  if (rows.length === 0) {
    const tr = document.createElement('tr');
    const empty = cell(emptyText, 'muted');
    empty.colSpan = columns;
    tr.appendChild(empty);
    body.appendChild(tr);
    return;
  }
  for (const cells of rows) {
    const tr = document.createElement('tr');
    cells.forEach(content => tr.appendChild(content instanceof HTMLTableCellElement ? content : cell(content)));
    body.appendChild(tr);
  }
}

function button(label, action, secondary) {
  const b = document.createElement('button');
  b.textContent = label;
  b.dataset.mutates = '';
  if (secondary) {
    b.className = 'secondary';
  }
  b.disabled = !state.operationsEnabled;
  b.addEventListener('click', action);
  return b;
}

async function json(url, options) {
  const response = await fetch(url, options);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(body.error || ('HTTP ' + response.status + ' from ' + url));
  }
  return body;
}

function rate(now, before, seconds) {
  return before === undefined || seconds <= 0 ? '–' : count(Math.max(0, now - before) / seconds);
}

function sum(values) {
  return Object.values(values || {}).reduce((a, b) => a + b, 0);
}

function mark(nodeId, up) {
  byId(nodeId).className = 'node ' + (up === undefined ? '' : up ? 'up' : 'down');
}

async function refreshOverview() {
  const [overview, ingestor, history] = await Promise.all([
    json('/console/overview'),
    json('/console/ingestor/status').catch(e => ({ unreachable: e.message })),
    json('/console/ingestor/runs').catch(() => ({ runs: [] })),
  ]);
  // The totals count finished runs; the run going on adds its counts so far.
  const going = history.runs.find(run => run.outcome === 'running');
  const sofar = field => (ingestor.totals ? ingestor.totals[field] + (going ? going.counts[field] : 0) : undefined);
  state.operationsEnabled = overview.operationsEnabled;
  text('operations-note', overview.operationsEnabled ? ''
    : 'Pause, resume, trigger and replay are switched off here (pipeline.operations.enabled).');
  document.querySelectorAll('[data-mutates]').forEach(b => { b.disabled = !overview.operationsEnabled; });
  const now = {
    at: Date.parse(overview.at),
    fetched: sofar('fetched'),
    published: sofar('published'),
    consumed: sum(overview.consumed),
    cassandra: (overview.stored || {}).cassandra || 0,
    postgresql: (overview.stored || {}).postgresql || 0,
    deadLettered: overview.deadLettered,
  };
  const before = state.previous || {};
  const seconds = state.previous ? (now.at - before.at) / 1000 : 0;
  text('rate-ingested', rate(now.fetched, before.fetched, seconds));
  text('rate-published', rate(now.published, before.published, seconds));
  text('rate-consumed', rate(now.consumed, before.consumed, seconds));
  text('rate-stored-cassandra', rate(now.cassandra, before.cassandra, seconds));
  text('rate-stored-postgresql', rate(now.postgresql, before.postgresql, seconds));
  text('rate-dead-lettered', rate(now.deadLettered, before.deadLettered, seconds));
  state.previous = now;

  text('kafka-group', 'group ' + overview.group + (overview.lagError ? ': ' + overview.lagError : ''));
  mark('node-kafka', !overview.lagError);
  text('lag-total', overview.lagError ? '?' : count(overview.lag.reduce((total, p) => total + p.lag, 0)));
  replaceRows('lag', overview.lag.map(p => [p.topic, p.partition, p.committed < 0 ? 'none yet' : count(p.committed),
    count(p.end), count(p.lag)]), overview.lagError || 'no partitions yet', 5);

  if (ingestor.unreachable) {
    text('ingestor-state', ingestor.unreachable);
    text('schedule', 'ingestor unreachable');
  } else {
    const activity = ingestor.running ? 'running ' + ingestor.currentRunId : ingestor.paused ? 'schedule paused' : 'idle';
    text('ingestor-state', ingestor.source + ', ' + activity);
    text('schedule', 'schedule ' + ingestor.schedule + (ingestor.paused ? ' (paused)' : ''));
  }
}

function detail(data) {
  const entries = Object.entries(data || {});
  return entries.length ? entries.map(([key, value]) => key + ': ' + value).join('; ') : '';
}

async function refreshHealth() {
  const rows = [];
  const read = async url => {
    try {
      return await (await fetch(url)).json();
    } catch (e) {
      return { status: 'DOWN', checks: [{ name: 'answer', status: 'DOWN', data: { error: e.message } }] };
    }
  };
  const [ready, pipeline, ingestor] = await Promise.all(
    [read('/q/health/ready'), read('/q/health/group/pipeline'), read('/console/ingestor/health')]);
  for (const [component, health] of [['processor (ready)', ready], ['ingestor', ingestor]]) {
    const down = (health.checks || []).filter(c => c.status !== 'UP');
    rows.push([component, health.status, down.length
      ? down.map(c => c.name + ' (' + detail(c.data) + ')').join('; ') : (health.checks || []).length + ' checks up']);
  }
  const checks = pipeline.checks || [];
  for (const check of checks) {
    rows.push(['pipeline: ' + check.name, check.status, detail(check.data)]);
  }
  mark('node-processor', ready.status === 'UP');
  mark('node-ingestor', ingestor.status === 'UP');
  const failing = Object.keys((checks.find(c => c.name === 'store writes') || {}).data || {});
  const postgres = checks.find(c => c.name === 'postgresql');
  mark('node-cassandra', !failing.some(f => f.startsWith('cassandra')));
  mark('node-postgresql', (!postgres || postgres.status === 'UP') && !failing.some(f => f.startsWith('postgresql')));
  mark('node-dead-letters', !failing.some(f => f.startsWith('dead-letter')));
  replaceRows('health', rows, 'no checks', 3);
}

async function refreshProcessing() {
  const processing = await json('/processing');
  const paused = processing.channels.filter(c => c.pausedHere).map(c => c.channel);
  text('processor-state', paused.length ? 'paused: ' + paused.join(', ') : 'consuming');
  replaceRows('processing', processing.channels.map(channel => [
    channel.channel, channel.topic,
    channel.paused ? 'paused since ' + time(channel.pausedAt) : channel.pausedHere ? 'starting' : 'consuming',
    cell(channel.paused
      ? button('Resume', () => act('/processing/' + channel.channel + '/resume'))
      : button('Pause', () => act('/processing/' + channel.channel + '/pause'), true)),
  ]), 'no channels', 4);
}

async function refreshRuns() {
  const history = await json('/console/ingestor/runs').catch(e => ({ runs: [], error: e.message }));
  replaceRows('runs', history.runs.map(run => [run.id, time(run.startedAt), run.startedBy, run.outcome,
    count(run.counts.fetched), count(run.counts.published), count(run.counts.failed),
    run.finishedAt ? millis(run.durationMs) : '…', run.error || '']), history.error || 'no runs yet', 9);
}

async function refreshDeadLetters() {
  const query = new URLSearchParams({ limit: '50', bucket: '10m' });
  if (state.reason) {
    query.append('reason', state.reason);
  }
  const asked = state.reason;
  const listing = await json('/dead-letters?' + query).catch(e => ({ error: e.message }));
  if (asked !== state.reason) {
    return; // the filter changed while this listing was read: the newer one shows
  }
  if (listing.error) {
    text('dlq-summary', listing.error);
    replaceRows('dead-letters', [], 'none to show', 7);
    return;
  }
  const select = byId('dlq-reason');
  const known = new Set([...select.options].map(o => o.value));
  for (const reason of Object.keys(listing.byReason)) {
    if (!known.has(reason)) {
      const option = document.createElement('option');
      option.value = reason;
      option.textContent = reason;
      select.appendChild(option);
    }
  }
  for (const option of select.options) {
    if (option.value) {
      option.textContent = option.value + ' (' + (listing.byReason[option.value] || 0) + ')';
    }
  }
  text('dlq-summary', count(listing.matching) + ' dead letters' + (state.reason ? ' for ' + state.reason : '')
    + (listing.reading.olderNotRead ? ', ' + count(listing.reading.olderNotRead) + ' older ones not read' : ''));
  replaceRows('dead-letters', listing.deadLetters.map(letter => [time(letter.rejectedAt), letter.reason,
    letter.field || '', letter.message || '', letter.identity + (letter.replayed ? ' (replayed)' : ''),
    letter.key.content, shown(letter.value)]), 'none', 7);
}

/** A dead letter's value: its head in the table, the whole preview on hover. */
function shown(bytes) {
  const td = cell('', 'value');
  if (bytes.encoding === 'none') {
    td.textContent = '(no value)';
    return td;
  }
  const prefix = bytes.encoding === 'hex' ? '[hex] ' : '';
  const head = bytes.content.length > 240 ? bytes.content.substring(0, 240) + '…' : bytes.content;
  td.textContent = prefix + head + (bytes.cut || head !== bytes.content ? ' (' + count(bytes.size) + ' bytes)' : '');
  td.title = prefix + bytes.content;
  return td;
}

async function refreshStatus() {
  const summary = await json('/status/summary');
  const waiting = Object.keys(summary.pipelineWaitingFor);
  text('pipeline-state', waiting.length ? 'waiting' : 'running');
  text('pipeline-waiting', waiting.length ? 'waits for ' + waiting.join(', ') : 'pipeline');
  const latency = summary.latency;
  text('latency-p50', latency.samples ? millis(latency.p50Millis) : '–');
  text('latency-p95', latency.samples ? millis(latency.p95Millis) : '–');
  text('latency-p99', latency.samples ? millis(latency.p99Millis) : '–');
  drawThroughput(summary.slots);
  replaceRows('latest', summary.latestUsers.map(u => [u.userId, u.name, u.country, time(u.storedAt)]), 'none yet', 4);
}

function drawThroughput(slots) {
  const svg = byId('throughput');
  const namespace = 'http://www.w3.org/2000/svg';
  svg.replaceChildren();
  const highest = Math.max(1, ...slots.map(s => s.stored + s.deadLettered));
  const width = 600 / slots.length;
  slots.forEach((slot, i) => {
    let top = 120;
    for (const [value, kind] of [[slot.stored, 'stored'], [slot.deadLettered, 'dead']]) {
      const height = 118 * value / highest;
      top -= height;
      const bar = document.createElementNS(namespace, 'rect');
      bar.setAttribute('x', i * width);
      bar.setAttribute('y', top);
      bar.setAttribute('width', Math.max(1, width - 1));
      bar.setAttribute('height', height);
      bar.setAttribute('class', kind);
      svg.appendChild(bar);
    }
  });
}

async function act(url, resultId) {
  try {
    const answer = await json(url, { method: 'POST', headers: { 'Content-Type': 'application/json' } });
    if (resultId) {
      text(resultId, answer.runId ? 'started run ' + answer.runId : answer.id ? 'replay ' + answer.id + ' started' : 'done');
    }
    text('error', '');
    return answer;
  } catch (e) {
    text(resultId || 'error', e.message);
    return null;
  } finally {
    refresh();
    refreshDeadLetters();
  }
}

byId('ingestion-pause').addEventListener('click', () => act('/console/ingestor/pause'));
byId('ingestion-resume').addEventListener('click', () => act('/console/ingestor/resume'));
byId('trigger').addEventListener('click', () => {
  const query = new URLSearchParams();
  if (byId('trigger-profiles').value) {
    query.append('profiles', byId('trigger-profiles').value);
  }
  if (byId('trigger-rate').value) {
    query.append('max-rate', byId('trigger-rate').value);
  }
  act('/console/ingestor/trigger?' + query, 'trigger-result');
});
byId('dlq-reason').addEventListener('change', event => {
  state.reason = event.target.value;
  refreshDeadLetters();
});
byId('dlq-replay').addEventListener('click', async () => {
  const selection = state.reason ? { reasons: [state.reason] } : { all: true };
  const what = byId('dlq-summary').textContent;
  if (!window.confirm('Re-publish ' + (state.reason ? 'the dead letters for ' + state.reason : 'EVERY dead letter')
    + ' to their source topics? (' + what + ')')) {
    return;
  }
  try {
    const replay = await json('/dead-letters/replay', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(selection),
    });
    text('dlq-replay-result', 'replay ' + replay.id + ' started');
    followReplay(replay.id);
  } catch (e) {
    text('dlq-replay-result', e.message);
  }
});

async function followReplay(id) {
  // Replays are kept by the replica that runs them: through a Service, another replica may not know this one.
  const replay = await json('/dead-letters/replays/' + id).catch(e => ({ state: 'unknown here', error: e.message }));
  if (replay.state === 'running') {
    setTimeout(() => followReplay(id), 500);
    return;
  }
  text('dlq-replay-result', 'replay ' + id + ' ' + replay.state + ': ' + count(replay.sent || 0) + ' re-published'
    + (replay.skipped ? ', ' + count(replay.skipped) + ' skipped' : '') + (replay.error ? ' (' + replay.error + ')' : ''));
}

async function refresh() {
  const parts = [refreshOverview(), refreshHealth(), refreshProcessing(), refreshRuns(), refreshStatus()];
  const failures = (await Promise.allSettled(parts)).filter(p => p.status === 'rejected').map(p => p.reason.message);
  text('error', failures.length ? 'Not every part answered: ' + failures.join('; ') + '. Retrying.' : '');
  text('updated', 'last update ' + new Date().toLocaleTimeString('en-GB'));
}

// Each refresh is scheduled when the previous one has answered, so a slow service is never asked twice at once.
// A listing reads the dead-letter topic: every 5 seconds is enough, and a filter change reads it at once.
async function every(milliseconds, task) {
  await task().catch(() => {});
  setTimeout(() => every(milliseconds, task), milliseconds);
}

every(2000, refresh);
every(5000, refreshDeadLetters);
