// The dashboard of one wgan run: reads /api/* and draws; told of changes by server-sent events (/events), or polls
// with ?transport=poll. Served from the run's own server; nothing is fetched from elsewhere.
(function () {
  'use strict';

  const SERIES = [
    { key: 'criticLoss', column: 1, title: 'critic loss', color: '#c0392b' },
    { key: 'wassersteinEstimate', column: 3, title: 'Wasserstein estimate', color: '#2c7bb6' },
    { key: 'penalty', column: 4, title: 'gradient penalty', color: '#8e44ad' },
    { key: 'generatorLoss', column: 2, title: 'generator loss', color: '#27ae60' },
    { key: 'seconds', column: 5, title: 'step time (s)', color: '#7f8c8d' }
  ];
  const params = new URLSearchParams(window.location.search);
  const wantPoll = params.get('transport') === 'poll' || typeof EventSource === 'undefined';
  const view = {
    epoch: null, rows: [], lastStep: 0, samplesVersion: null, steps: [], byStep: new Map(), shown: null,
    busy: false, again: false, pollMillis: 1000, timer: null, total: null
  };
  const $ = (id) => document.getElementById(id);

  async function getJson(url) {
    const response = await fetch(url, { cache: 'no-store' });
    if (!response.ok) {
      throw new Error(url + ': ' + response.status);
    }
    return response.json();
  }

  // One update at a time; a request for another while one runs makes it run once more.
  async function refresh() {
    if (view.busy) {
      view.again = true;
      return;
    }
    view.busy = true;
    try {
      do {
        view.again = false;
        await update();
      } while (view.again);
    } catch (e) {
      setStatus('error', String(e.message || e));
    } finally {
      view.busy = false;
    }
  }

  async function update() {
    const state = await getJson('api/state');
    if (state.epoch !== view.epoch) {
      resetHistory(state.epoch);
    }
    let more = true;
    while (more) {
      const page = await getJson('api/history?from=' + view.lastStep);
      if (page.epoch !== view.epoch) {
        resetHistory(page.epoch);
        continue;
      }
      for (const row of page.rows) {
        view.rows.push(row);
      }
      if (page.rows.length > 0) {
        view.lastStep = page.rows[page.rows.length - 1][0];
      }
      more = page.more;
    }
    if (state.samplesVersion !== view.samplesVersion) {
      const samples = await getJson('api/samples');
      view.samplesVersion = samples.samplesVersion;
      indexSamples(samples.files);
    }
    showState(state);
    drawCharts();
  }

  function resetHistory(epoch) {
    view.epoch = epoch;
    view.rows = [];
    view.lastStep = 0;
  }

  function setStatus(kind, text) {
    const badge = $('status');
    badge.textContent = text;
    badge.className = 'badge ' + kind;
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined || !isFinite(seconds)) {
      return '-';
    }
    if (seconds < 1) {
      return (seconds * 1000).toFixed(0) + ' ms';
    }
    if (seconds < 120) {
      return seconds.toFixed(1) + ' s';
    }
    const minutes = Math.round(seconds / 60);
    return minutes < 120 ? minutes + ' min' : (minutes / 60).toFixed(1) + ' h';
  }

  function showState(state) {
    setStatus(state.status, state.status);
    $('step').textContent = String(state.step);
    $('total').textContent = state.totalSteps ? ' of ' + state.totalSteps : '';
    $('step-time').textContent = 'step time ' + duration(state.stepSeconds);
    $('eta').textContent = 'ETA ' + (state.status === 'finished' ? 'done' : duration(state.etaSeconds));
    const fraction = state.totalSteps ? Math.min(1, state.step / state.totalSteps) : 0;
    $('bar-fill').style.width = (100 * fraction).toFixed(1) + '%';
  }

  // Sample files by step: { step, png, emaPng, csv, emaCsv, critic }
  function indexSamples(files) {
    view.byStep = new Map();
    for (const file of files) {
      let entry = view.byStep.get(file.step);
      if (!entry) {
        entry = { step: file.step };
        view.byStep.set(file.step, entry);
      }
      if (file.kind === 'critic') {
        entry.critic = file.name;
      } else if (file.format === 'png') {
        entry[file.ema ? 'emaPng' : 'png'] = file.name;
      } else {
        entry[file.ema ? 'emaCsv' : 'csv'] = file.name;
      }
    }
    view.steps = Array.from(view.byStep.values()).filter((e) => e.png || e.csv).map((e) => e.step)
      .sort((a, b) => a - b);
    const slider = $('slider');
    slider.max = String(Math.max(0, view.steps.length - 1));
    if ($('follow').checked || view.shown === null) {
      slider.value = slider.max;
    }
    showSample();
  }

  function showSample() {
    const slider = $('slider');
    $('no-samples').hidden = view.steps.length > 0;
    if (view.steps.length === 0) {
      return;
    }
    const index = Math.min(Number(slider.value), view.steps.length - 1);
    const entry = view.byStep.get(view.steps[index]);
    $('sample-step').textContent = 'step ' + entry.step + ' (' + (index + 1) + ' of ' + view.steps.length + ')';
    const key = entry.step + ':' + view.samplesVersion;
    if (view.shown === key) {
      return;
    }
    view.shown = key;
    showImage('grid', 'grid-figure', entry.png);
    showImage('grid-ema', 'ema-figure', entry.emaPng);
    if (entry.csv) {
      drawSurface(entry).catch((e) => setStatus('error', String(e.message || e)));
    } else {
      $('surface-figure').hidden = true;
    }
  }

  function showImage(id, figure, name) {
    $(figure).hidden = !name;
    if (name) {
      const src = 'samples/' + encodeURIComponent(name);
      const image = $(id);
      if (image.dataset.name !== name) {
        image.dataset.name = name;
        image.dataset.retries = '0';
        image.src = src;
      }
    }
  }

  // A grid replaced or removed while it loaded: try again a few times.
  function retryOnError(id) {
    const image = $(id);
    image.addEventListener('error', () => {
      const retries = Number(image.dataset.retries || '0');
      if (image.dataset.name && retries < 5) {
        image.dataset.retries = String(retries + 1);
        window.setTimeout(() => {
          image.src = 'samples/' + encodeURIComponent(image.dataset.name) + '?retry=' + (retries + 1);
        }, 500 * (retries + 1));
      }
    });
  }

  function parseCsv(text) {
    return text.split('\n').filter((line) => line.trim().length > 0).map((line) => line.split(','));
  }

  // The newest critic surface at or before a step.
  function criticFor(step) {
    let best = null;
    for (const entry of view.byStep.values()) {
      if (entry.critic && entry.step <= step && (best === null || entry.step > best.step)) {
        best = entry;
      }
    }
    return best ? best.critic : null;
  }

  async function drawSurface(entry) {
    const canvas = $('surface');
    const g = canvas.getContext('2d');
    const points = parseCsv(await (await fetch('samples/' + encodeURIComponent(entry.csv))).text()).slice(1)
      .map((f) => [Number(f[0]), Number(f[1])]).filter((p) => isFinite(p[0]) && isFinite(p[1]));
    let emaPoints = [];
    if (entry.emaCsv) {
      emaPoints = parseCsv(await (await fetch('samples/' + encodeURIComponent(entry.emaCsv))).text()).slice(1)
        .map((f) => [Number(f[0]), Number(f[1])]).filter((p) => isFinite(p[0]) && isFinite(p[1]));
    }
    const criticName = criticFor(entry.step);
    let surface = null;
    if (criticName) {
      const lines = parseCsv(await (await fetch('samples/' + encodeURIComponent(criticName))).text());
      const b = lines[1].map(Number);
      surface = { xMin: b[0], xMax: b[1], yMin: b[2], yMax: b[3], n: b[4], rows: lines.slice(2).map((r) => r.map(Number)) };
    }
    let box;
    if (surface) {
      box = { xMin: surface.xMin, xMax: surface.xMax, yMin: surface.yMin, yMax: surface.yMax };
    } else {
      const all = points.concat(emaPoints);
      box = { xMin: Infinity, xMax: -Infinity, yMin: Infinity, yMax: -Infinity };
      for (const p of all) {
        box.xMin = Math.min(box.xMin, p[0]); box.xMax = Math.max(box.xMax, p[0]);
        box.yMin = Math.min(box.yMin, p[1]); box.yMax = Math.max(box.yMax, p[1]);
      }
      if (!isFinite(box.xMin)) {
        box = { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };
      }
      const padX = (box.xMax - box.xMin) * 0.1 || 1;
      const padY = (box.yMax - box.yMin) * 0.1 || 1;
      box = { xMin: box.xMin - padX, xMax: box.xMax + padX, yMin: box.yMin - padY, yMax: box.yMax + padY };
    }
    const w = canvas.width;
    const h = canvas.height;
    g.fillStyle = '#fff';
    g.fillRect(0, 0, w, h);
    if (surface && surface.rows.length === surface.n) {
      let lo = Infinity;
      let hi = -Infinity;
      for (const row of surface.rows) {
        for (const v of row) {
          lo = Math.min(lo, v); hi = Math.max(hi, v);
        }
      }
      const cells = document.createElement('canvas');
      cells.width = surface.n;
      cells.height = surface.n;
      const cg = cells.getContext('2d');
      const image = cg.createImageData(surface.n, surface.n);
      for (let j = 0; j < surface.n; j++) {
        for (let i = 0; i < surface.n; i++) {
          const t = hi > lo ? (surface.rows[j][i] - lo) / (hi - lo) : 0.5;
          const at = 4 * ((surface.n - 1 - j) * surface.n + i); // y grows upwards
          image.data[at] = Math.round(255 * Math.min(1, 2 * t));
          image.data[at + 1] = Math.round(255 * (1 - Math.abs(2 * t - 1)) * 0.9 + 20);
          image.data[at + 2] = Math.round(255 * Math.min(1, 2 * (1 - t)));
          image.data[at + 3] = 150;
        }
      }
      cg.putImageData(image, 0, 0);
      g.imageSmoothingEnabled = true;
      g.drawImage(cells, 0, 0, w, h);
    }
    const x = (v) => (v - box.xMin) / (box.xMax - box.xMin) * w;
    const y = (v) => h - (v - box.yMin) / (box.yMax - box.yMin) * h;
    const dots = (list, color) => {
      g.fillStyle = color;
      for (const p of list) {
        g.beginPath();
        g.arc(x(p[0]), y(p[1]), 2.5, 0, 2 * Math.PI);
        g.fill();
      }
    };
    dots(points, '#111');
    dots(emaPoints, '#e67e22');
    $('surface-figure').hidden = false;
    canvas.dataset.points = String(points.length);
  }

  function median(values) {
    const sorted = values.slice().sort((a, b) => a - b);
    const m = sorted.length;
    return m % 2 === 1 ? sorted[(m - 1) / 2] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2;
  }

  function drawCharts() {
    const logX = $('log-x').checked;
    const window = Number($('window').value);
    for (const series of SERIES) {
      drawChart($('chart-' + series.key), series, logX, window);
    }
  }

  // The raw values faintly, and their running median over `window` rows at no more points than the chart's width.
  function drawChart(canvas, series, logX, window) {
    const g = canvas.getContext('2d');
    const w = canvas.width;
    const h = canvas.height;
    const left = 56;
    const right = 10;
    const top = 22;
    const bottom = 26;
    g.clearRect(0, 0, w, h);
    g.fillStyle = '#fff';
    g.fillRect(0, 0, w, h);
    g.fillStyle = '#333';
    g.font = '12px sans-serif';
    g.fillText(series.title + (window > 1 ? ' (running median of ' + window + ')' : ''), left, 14);
    const rows = view.rows.filter((r) => isFinite(r[series.column]) && r[0] >= 1);
    if (rows.length === 0) {
      g.fillStyle = '#999';
      g.fillText('no steps yet', left, h / 2);
      canvas.dataset.points = '0';
      return;
    }
    const sx = (step) => (logX ? Math.log10(step) : step);
    const x0 = sx(rows[0][0]);
    const x1 = Math.max(sx(rows[rows.length - 1][0]), x0 + 1e-9);
    const count = Math.min(rows.length, w - left - right);
    const smooth = [];
    for (let k = 0; k < count; k++) {
      const i = count === 1 ? rows.length - 1 : Math.round(k * (rows.length - 1) / (count - 1));
      const part = [];
      for (let j = Math.max(0, i - window + 1); j <= i; j++) {
        part.push(rows[j][series.column]);
      }
      smooth.push([rows[i][0], median(part)]);
    }
    const rawStride = Math.max(1, Math.floor(rows.length / 2000));
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of smooth) {
      lo = Math.min(lo, p[1]); hi = Math.max(hi, p[1]);
    }
    if (hi - lo < 1e-12) {
      lo -= 0.5; hi += 0.5;
    }
    const pad = (hi - lo) * 0.08;
    lo -= pad; hi += pad;
    const px = (step) => left + (sx(step) - x0) / (x1 - x0) * (w - left - right);
    const py = (v) => top + (1 - (Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * (h - top - bottom);
    g.strokeStyle = '#ccc';
    g.lineWidth = 1;
    g.beginPath();
    g.moveTo(left, top); g.lineTo(left, h - bottom); g.lineTo(w - right, h - bottom);
    g.stroke();
    g.fillStyle = '#666';
    g.font = '11px sans-serif';
    g.fillText(hi.toPrecision(3), 2, top + 8);
    g.fillText(lo.toPrecision(3), 2, h - bottom);
    g.fillText(String(rows[0][0]), left, h - 8);
    const lastLabel = String(rows[rows.length - 1][0]) + (logX ? ' (log)' : '');
    g.fillText(lastLabel, w - right - g.measureText(lastLabel).width, h - 8);
    if (window > 1) {
      g.strokeStyle = series.color + '40';
      g.beginPath();
      for (let i = 0; i < rows.length; i += rawStride) {
        const X = px(rows[i][0]);
        const Y = py(rows[i][series.column]);
        if (i === 0) { g.moveTo(X, Y); } else { g.lineTo(X, Y); }
      }
      g.stroke();
    }
    g.strokeStyle = series.color;
    g.lineWidth = 2;
    g.beginPath();
    smooth.forEach((p, k) => {
      if (k === 0) { g.moveTo(px(p[0]), py(p[1])); } else { g.lineTo(px(p[0]), py(p[1])); }
    });
    g.stroke();
    canvas.dataset.points = String(smooth.length);
  }

  function showSettings(run) {
    $('title').textContent = 'wgan run ' + run.folder;
    document.title = 'wgan: ' + run.folder;
    $('fingerprint').textContent = run.fingerprint || '-';
    const table = $('settings');
    table.textContent = '';
    if (!run.settings) {
      const row = table.insertRow();
      row.insertCell().textContent = run.error || 'no run.json';
      return;
    }
    for (const [key, value] of Object.entries(run.settings)) {
      const row = table.insertRow();
      row.insertCell().textContent = key;
      row.insertCell().textContent = Array.isArray(value) ? value.join(', ')
        : (value !== null && typeof value === 'object') ? JSON.stringify(value) : String(value);
    }
  }

  function poll() {
    $('transport').textContent = 'polling every ' + view.pollMillis + ' ms';
    if (view.timer === null) {
      view.timer = window.setInterval(refresh, view.pollMillis);
    }
  }

  function listen() {
    const source = new EventSource('events');
    source.addEventListener('open', () => {
      $('transport').textContent = 'live';
    });
    source.addEventListener('update', () => refresh());
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED) {
        // refused (too many clients) or not supported on the way: ask instead
        poll();
      } else {
        $('transport').textContent = 'reconnecting';
      }
    });
  }

  async function start() {
    retryOnError('grid');
    retryOnError('grid-ema');
    $('slider').addEventListener('input', () => {
      $('follow').checked = Number($('slider').value) === view.steps.length - 1;
      showSample();
    });
    $('follow').addEventListener('change', () => {
      if ($('follow').checked) {
        $('slider').value = $('slider').max;
        showSample();
      }
    });
    $('log-x').addEventListener('change', drawCharts);
    $('window').addEventListener('change', drawCharts);
    try {
      const run = await getJson('api/run');
      view.pollMillis = Math.max(100, run.pollMillis || 1000);
      showSettings(run);
    } catch (e) {
      setStatus('error', String(e.message || e));
    }
    await refresh();
    if (wantPoll) {
      poll();
    } else {
      listen();
    }
    // settings change when a run is resumed with a longer budget
    window.setInterval(() => getJson('api/run').then(showSettings).catch(() => {}), 30000);
  }

  start();
}());
