'use strict';

// Profile fields are data from outside: they are only ever set as text, never as HTML.

function text(id, value) {
  document.getElementById(id).textContent = value;
}

function millis(value) {
  return value >= 1000 ? (value / 1000).toFixed(1) + ' s' : value + ' ms';
}

function row(cells) {
  const tr = document.createElement('tr');
  for (const cell of cells) {
    const td = document.createElement('td');
    td.textContent = cell;
    tr.appendChild(td);
  }
  return tr;
}

function replaceRows(id, rows, emptyText, columns) {
  const body = document.getElementById(id);
  body.replaceChildren();
  if (rows.length === 0) {
    const empty = row([emptyText]);
    empty.firstChild.colSpan = columns;
    empty.firstChild.className = 'muted';
    body.appendChild(empty);
    return;
  }
  rows.forEach(r => body.appendChild(row(r)));
}

function drawThroughput(slots) {
  const svg = document.getElementById('throughput');
  const namespace = 'http://www.w3.org/2000/svg';
  svg.replaceChildren();
  const highest = Math.max(1, ...slots.map(s => s.stored + s.deadLettered));
  const width = 600 / slots.length;
  slots.forEach((slot, i) => {
    let top = 120;
    for (const [count, kind] of [[slot.stored, 'stored'], [slot.deadLettered, 'dead']]) {
      const height = 118 * count / highest;
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

async function refresh() {
  try {
    const response = await fetch('/status/summary');
    if (!response.ok) {
      throw new Error('HTTP ' + response.status);
    }
    const summary = await response.json();
    const waiting = Object.keys(summary.pipelineWaitingFor);
    text('pipeline-state', waiting.length ? 'paused' : 'running');
    text('pipeline-waiting', waiting.length ? 'pipeline waits for ' + waiting.join(', ') : 'pipeline');
    const lastMinute = summary.slots.slice(-6);
    text('rate', Math.round(lastMinute.reduce((sum, s) => sum + s.stored, 0) / 60).toLocaleString('en'));
    text('stored-10m', summary.slots.reduce((sum, s) => sum + s.stored, 0).toLocaleString('en'));
    text('dead-10m', summary.slots.reduce((sum, s) => sum + s.deadLettered, 0).toLocaleString('en'));
    const latency = summary.latency;
    text('latency-p50', latency.samples ? millis(latency.p50Millis) : '–');
    text('latency-p95', latency.samples ? millis(latency.p95Millis) : '–');
    text('latency-p99', latency.samples ? millis(latency.p99Millis) : '–');
    drawThroughput(summary.slots);
    replaceRows('reasons', Object.entries(summary.deadLetteredByReason)
      .sort((a, b) => b[1] - a[1])
      .map(([reason, count]) => [reason, count.toLocaleString('en')]), 'none', 2);
    replaceRows('latest', summary.latestUsers.map(u =>
      [u.userId, u.name, u.country, new Date(u.ingestedAt).toLocaleTimeString('en-GB'),
        new Date(u.storedAt).toLocaleTimeString('en-GB')]), 'none yet', 5);
    text('updated', 'last update ' + new Date(summary.now).toLocaleTimeString('en-GB'));
    text('error', '');
  } catch (e) {
    text('error', 'The processor did not answer (' + e.message + '); retrying.');
  }
}

refresh();
setInterval(refresh, 2000);
